/**
 * Every public function and constructor that takes an options object rejects
 * an unknown key with a TypeError naming the key, the function and the
 * closest valid key. Two halves keep a new API from forgetting:
 * - the runtime walk calls every options spec lib/ declares (defineOptions)
 *   through the public API, and a declared spec without a call here fails;
 * - the source scan finds every public function, method and constructor with
 *   an options parameter (by name or by an `...Options` type) and requires it
 *   to be walked above under its own name, or to pass that parameter to
 *   rejectUnknownOptions, directly or through a function that does.
 */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import * as torch from '../../lib';
import { declaredOptions } from '../../lib/options';

const { nn, optim, data, io, worker } = torch;
const F = nn.functional;
type Tensor = torch.Tensor;
type Opts = Record<string, unknown>;

const leaf = (): Tensor => torch.ones(2, 2, { requiresGrad: true });
const sgd = (): torch.optim.SGD => new optim.SGD([leaf()], { lr: 0.1 });
const x = torch.ones(2, 3);
const p = torch.full([2, 3], 0.5);
const labels = torch.tensor([0, 1], { dtype: 'int32' });
const tmp = path.join(os.tmpdir(), `torchlet-options-${process.pid}.safetensors`);
const tbDir = path.join(os.tmpdir(), `torchlet-options-tb-${process.pid}`);

/** How to call each declared spec's function through the public API, with `o` as its options. */
const CALLS: Record<string, (o: Opts) => unknown> = {
  tensor: (o) => torch.tensor([1], o),
  full: (o) => torch.full([2], 1, o),
  zeros: (o) => torch.zeros(2, o),
  ones: (o) => torch.ones(2, o),
  zerosLike: (o) => torch.zerosLike(x, o),
  onesLike: (o) => torch.onesLike(x, o),
  fullLike: (o) => torch.fullLike(x, 1, o),
  arange: (o) => torch.arange(3, o),
  linspace: (o) => torch.linspace(0, 1, 3, o),
  eye: (o) => torch.eye(2, o),
  rand: (o) => torch.rand(2, o),
  randn: (o) => torch.randn(2, o),
  randint: (o) => torch.randint(3, [2], o),
  randperm: (o) => torch.randperm(3, o),
  initProcessGroup: (o) => torch.distributed.initProcessGroup(o),
  allReduce: (o) => torch.distributed.allReduceSync(x.clone(), o),
  reduceScatter: (o) => torch.distributed.reduceScatterSync(x.clone(), [x.clone()], o),
  reduceScatterTensor: (o) => torch.distributed.reduceScatterTensorSync(x.clone(), x.clone(), o),
  DistributedDataParallel: (o) => new nn.parallel.DistributedDataParallel(new nn.Linear(1, 1), o),
  DistributedSampler: (o) => new data.DistributedSampler({ length: 4 }, { numReplicas: 2, rank: 0, ...o }),
  'Tensor.backward': (o) => leaf().sum().backward(undefined, o),
  gradcheck: (o) => torch.autograd.gradcheck((t) => t.sum(), [torch.ones(1, { dtype: 'float64', requiresGrad: true })], o),
  'Module.zeroGrad': (o) => new nn.Linear(1, 1).zeroGrad(o),
  'Optimizer.zeroGrad': (o) => sgd().zeroGrad(o),
  'Module.namedParameters': (o) => new nn.Linear(1, 1).namedParameters(o),
  'Module.parameters': (o) => new nn.Linear(1, 1).parameters(o),
  'Module.namedBuffers': (o) => new nn.Linear(1, 1).namedBuffers(o),
  'Module.buffers': (o) => new nn.Linear(1, 1).buffers(o),
  'Module.registerBuffer': (o) => new nn.Linear(1, 1).registerBuffer('b', null, o),
  'Module.loadStateDict': (o) => new nn.Linear(1, 1).loadStateDict(new nn.Linear(1, 1).stateDict(), o),
  uniform_: (o) => nn.init.uniform_(x.clone(), 0, 1, o),
  normal_: (o) => nn.init.normal_(x.clone(), 0, 1, o),
  xavierUniform_: (o) => nn.init.xavierUniform_(x.clone(), 1, o),
  xavierNormal_: (o) => nn.init.xavierNormal_(x.clone(), 1, o),
  kaimingUniform_: (o) => nn.init.kaimingUniform_(x.clone(), o),
  kaimingNormal_: (o) => nn.init.kaimingNormal_(x.clone(), o),
  Linear: (o) => new nn.Linear(2, 2, o),
  Conv1d: (o) => new nn.Conv1d(2, 2, 1, o),
  Conv2d: (o) => new nn.Conv2d(2, 2, 1, o),
  ConvTranspose2d: (o) => new nn.ConvTranspose2d(2, 2, 1, o),
  conv1d: (o) => F.conv1d(torch.ones(1, 1, 3), torch.ones(1, 1, 1), null, o),
  conv2d: (o) => F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 1, 1), null, o),
  convTranspose2d: (o) => F.convTranspose2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 1, 1), null, o),
  dropout: (o) => F.dropout(x, 0.5, true, o),
  gelu: (o) => F.gelu(x, o),
  elu: (o) => F.elu(x, o),
  softplus: (o) => F.softplus(x, o),
  GELU: (o) => new nn.GELU(o),
  ELU: (o) => new nn.ELU(o),
  Softplus: (o) => new nn.Softplus(o),
  embedding: (o) => F.embedding(torch.tensor([0], { dtype: 'int32' }), torch.ones([1, 1]), o),
  Embedding: (o) => new nn.Embedding(2, 2, o),
  'Embedding.fromPretrained': (o) => nn.Embedding.fromPretrained(torch.ones([2, 2]), o),
  layerNorm: (o) => F.layerNorm(x, [x.shape[x.ndim - 1]], o),
  LayerNorm: (o) => new nn.LayerNorm(2, o),
  RNNCell: (o) => new nn.RNNCell(2, 2, o),
  LSTMCell: (o) => new nn.LSTMCell(2, 2, o),
  GRUCell: (o) => new nn.GRUCell(2, 2, o),
  RNN: (o) => new nn.RNN(2, 2, o),
  LSTM: (o) => new nn.LSTM(2, 2, o),
  GRU: (o) => new nn.GRU(2, 2, o),
  Dropout: (o) => new nn.Dropout(0.5, o),
  mseLoss: (o) => F.mseLoss(p, p, o),
  l1Loss: (o) => F.l1Loss(p, p, o),
  binaryCrossEntropy: (o) => F.binaryCrossEntropy(p, p, o),
  binaryCrossEntropyWithLogits: (o) => F.binaryCrossEntropyWithLogits(p, p, o),
  nllLoss: (o) => F.nllLoss(x, labels, o),
  crossEntropy: (o) => F.crossEntropy(x, labels, o),
  MSELoss: (o) => new nn.MSELoss(o),
  L1Loss: (o) => new nn.L1Loss(o),
  BCELoss: (o) => new nn.BCELoss(o),
  BCEWithLogitsLoss: (o) => new nn.BCEWithLogitsLoss(o),
  NLLLoss: (o) => new nn.NLLLoss(o),
  CrossEntropyLoss: (o) => new nn.CrossEntropyLoss(o),
  maxPool1d: (o) => F.maxPool1d(torch.ones(1, 4), 2, o),
  maxPool2d: (o) => F.maxPool2d(torch.ones(1, 4, 4), 2, o),
  avgPool1d: (o) => F.avgPool1d(torch.ones(1, 4), 2, o),
  avgPool2d: (o) => F.avgPool2d(torch.ones(1, 4, 4), 2, o),
  batchNorm: (o) => F.batchNorm(torch.ones(2, 3), null, null, { training: true, ...o }),
  MaxPool1d: (o) => new nn.MaxPool1d(2, o),
  MaxPool2d: (o) => new nn.MaxPool2d(2, o),
  AvgPool1d: (o) => new nn.AvgPool1d(2, o),
  AvgPool2d: (o) => new nn.AvgPool2d(2, o),
  BatchNorm1d: (o) => new nn.BatchNorm1d(3, o),
  BatchNorm2d: (o) => new nn.BatchNorm2d(3, o),
  SGD: (o) => new optim.SGD([leaf()], { lr: 0.1, ...o }),
  Adam: (o) => new optim.Adam([leaf()], o),
  AdamW: (o) => new optim.AdamW([leaf()], o),
  RMSprop: (o) => new optim.RMSprop([leaf()], o),
  clipGradNorm_: (o) => nn.utils.clipGradNorm_([leaf()], 1, o),
  Adagrad: (o) => new optim.Adagrad([leaf()], o),
  StepLR: (o) => new optim.lrScheduler.StepLR(sgd(), 1, o),
  ExponentialLR: (o) => new optim.lrScheduler.ExponentialLR(sgd(), 0.9, o),
  CosineAnnealingLR: (o) => new optim.lrScheduler.CosineAnnealingLR(sgd(), 10, o),
  LambdaLR: (o) => new optim.lrScheduler.LambdaLR(sgd(), () => 1, o),
  OneCycleLR: (o) => new optim.lrScheduler.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, ...o }),
  ReduceLROnPlateau: (o) => new optim.lrScheduler.ReduceLROnPlateau(sgd(), o),
  DataLoader: (o) => new data.DataLoader(new data.TensorDataset(x), o),
  randomSplit: (o) => data.randomSplit(new data.TensorDataset(x), [1, 1], o),
  writeIdx: (o) => data.writeIdx(x, o),
  readCsv: (o) => data.readCsv('1,2\n', o),
  mnist: (o) => data.datasets.mnist(o),
  mnistOfficial: (o) => data.datasets.mnistOfficial({ train: false, ...o }),
  iris: (o) => data.datasets.iris(o),
  load: (o) => io.load(tmp, o),
  loadWithMetadata: (o) => io.loadWithMetadata(tmp, o),
  saveCheckpoint: (o) => io.saveCheckpoint(tmp, o),
  loadCheckpoint: (o) => io.loadCheckpoint(tmp, o),
  stateDictToMessage: (o) => worker.stateDictToMessage({}, o),
  postStateDict: (o) => worker.postStateDict({}, null, { port: { postMessage: () => undefined }, ...o }),
  var: (o) => torch.var(x, 0, o),
  std: (o) => x.std(undefined, o),
  'onnx.export': (o) => torch.onnx.export(new nn.Linear(1, 1), torch.ones(1, 1), path.join(os.tmpdir(), `torchlet-options-${process.pid}.onnx`), o),
  SummaryWriter: (o) => new torch.utils.tensorboard.SummaryWriter(tbDir, o),
  'SummaryWriter.addHparams': (o) => {
    const w = new torch.utils.tensorboard.SummaryWriter(tbDir);
    try {
      return w.addHparams({}, {}, o);
    } finally {
      w.close();
      fs.rmSync(tbDir, { recursive: true, force: true });
    }
  },
};

/** Runs `fn` and returns what it threw (synchronously or as a rejected promise). */
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return null;
}

/** camelCase → snake_case, PyTorch's spelling of the same keyword. */
const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe('every declared options spec is walked through the public API', () => {
  it('the walk covers exactly the declared specs', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...declaredOptions().keys()].sort());
  });

  for (const [where, spec] of declaredOptions()) {
    it(`${where}: an unknown key is a TypeError naming it, the function and the closest key`, async () => {
      const call = CALLS[where];
      const e = await failure(() => call({ notAnOption: 1 }));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(new RegExp(`^${where.replace('.', '\\.')}: unknown option 'notAnOption'`));
      for (const key of spec.keys) {
        if (snake(key) === key) continue;
        const wrong = await failure(() => call({ [snake(key)]: undefined }));
        expect((wrong as Error).message).toContain(`unknown option '${snake(key)}'; did you mean '${key}'?`);
      }
    });
  }
});

/** The exported functions and classes reachable from lib/index.ts, recursively through namespaces. */
function publicDeclarations(program: ts.Program): ts.Declaration[] {
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.resolve('lib/index.ts'));
  const out = new Set<ts.Declaration>();
  const seen = new Set<ts.Symbol>();
  const visit = (symbol: ts.Symbol): void => {
    const s = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (seen.has(s)) return;
    seen.add(s);
    if (s.flags & ts.SymbolFlags.ValueModule) {
      for (const e of checker.getExportsOfModule(s)) visit(e);
      return;
    }
    for (const d of s.declarations ?? []) if (ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d)) out.add(d);
  };
  visit(checker.getSymbolAtLocation(index as ts.SourceFile) as ts.Symbol);
  return [...out];
}

/** A parameter that is an options object: named so, or typed `...Options` (also inside Partial<> or a rest array). */
function isOptionsParam(param: ts.ParameterDeclaration): boolean {
  const name = param.name.getText();
  const type = param.type?.getText() ?? '';
  return /^options$|Options$/.test(name) || /^(Partial<|Readonly<)?\w*Options\b/.test(type) || /^\((\w+ \| )*\w*Options\)\[\]$/.test(type);
}

type FunctionLike = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ConstructorDeclaration;

/** Names of functions (anywhere in lib/) that hand one of their parameters to rejectUnknownOptions, directly or through another such function. */
function checkingFunctions(files: readonly ts.SourceFile[]): Set<string> {
  const fns: [string, FunctionLike][] = [];
  const walk = (node: ts.Node): void => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body !== undefined && node.name !== undefined) fns.push([node.name.getText(), node]);
    ts.forEachChild(node, walk);
  };
  files.forEach(walk);
  const checking = new Set(['rejectUnknownOptions']);
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, fn] of fns) {
      if (checking.has(name)) continue;
      if (fn.parameters.some((param) => forwards(fn, param.name.getText(), checking))) {
        checking.add(name);
        grew = true;
      }
    }
  }
  return checking;
}

/** True if `fn`'s body passes the identifier `param` as an argument to a call of one of `callees`. */
function forwards(fn: FunctionLike, param: string, callees: Set<string>): boolean {
  let found = false;
  const walk = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.getText() : node.expression.getText();
      if (callees.has(callee) && node.arguments.some((a) => a.getText() === param)) found = true;
    }
    if (!found) ts.forEachChild(node, walk);
  };
  if (fn.body !== undefined) walk(fn.body);
  return found;
}

/** Options parameters whose keys come from elsewhere (Node's WorkerOptions, passed to new Worker as they are). */
const EXEMPT = new Set(['trainInWorker']);

describe('the source scan: no public options parameter bypasses the check', () => {
  it('every public function, method and constructor taking options rejects unknown keys', () => {
    const files = fs.readdirSync('lib', { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.startsWith(`backend${path.sep}`))
      .map((f) => path.resolve('lib', f));
    const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true };
    // Parent pointers: getText() walks up to the source file.
    const program = ts.createProgram(files, compilerOptions, ts.createCompilerHost(compilerOptions, true));
    const sources = program.getSourceFiles().filter((f) => files.includes(path.resolve(f.fileName)));
    const checking = checkingFunctions(sources);
    const scanned: string[] = [];
    const missing: string[] = [];
    const check = (label: string, fn: FunctionLike): void => {
      if (fn.body === undefined || EXEMPT.has(label)) return;
      for (const param of fn.parameters.filter(isOptionsParam)) {
        scanned.push(label);
        // Checked if the runtime walk above calls it under a declared spec, or if it hands the options to a checking function.
        if (!declaredOptions().has(label) && !forwards(fn, param.name.getText(), checking)) missing.push(`${label} (${path.relative('.', fn.getSourceFile().fileName)})`);
      }
    };
    for (const decl of publicDeclarations(program)) {
      if (ts.isFunctionDeclaration(decl)) check(decl.name?.getText() ?? '?', decl);
      if (!ts.isClassDeclaration(decl)) continue;
      const cls = decl.name?.getText() ?? '?';
      for (const member of decl.members) {
        const hidden = ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
        if (ts.isConstructorDeclaration(member) && !hidden) check(cls, member);
        if (ts.isMethodDeclaration(member) && !hidden) check(`${cls}.${member.name.getText()}`, member);
      }
    }
    expect(scanned.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
