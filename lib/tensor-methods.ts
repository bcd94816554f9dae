/**
 * Loads every file that installs methods on Tensor (see defineMethods in
 * tensor.ts), so that a tensor from any entry point has all of them.
 */
import './ops/arith';
import './ops/unary';
import './ops/activation';
import './ops/compare';
import './ops/reduce';
import './ops/matmul';
import './ops/shape';
import './ops/indexing';
import './ops/convert';
import './ops/inplace';
import './ops/where';
import './ops/sort';
import './ops/cumsum';
import './ops/statistics';
import './ops/slice';
import './autograd/backward';
