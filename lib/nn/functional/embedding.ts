/** Functional embedding lookup (PyTorch's `F.embedding`). */
import type { Tensor } from '../../tensor';
import { embedding as embeddingOp } from '../../ops/embedding';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of `embedding`. */
export interface EmbeddingFnOptions {
  /** A row (negative counts from the end) that gets no gradient: the padding token's (default none). */
  paddingIdx?: number | null;
}

const EMBEDDING = defineOptions<EmbeddingFnOptions>('embedding', { paddingIdx: true });

/**
 * The rows of `weight` [numEmbeddings, embeddingDim] at the int32 `indices`
 * (any shape): the result has shape indices.shape + [embeddingDim]. An index
 * outside [0, numEmbeddings) is a RangeError naming it. PyTorch's `F.embedding`.
 *
 * @param indices an int32 tensor of any shape, entries in [0, numEmbeddings)
 * @param weight the [numEmbeddings, embeddingDim] table
 * @param options `paddingIdx`: a row that gets no gradient (default none)
 */
export function embedding(indices: Tensor, weight: Tensor, options: EmbeddingFnOptions = {}): Tensor {
  rejectUnknownOptions(options, EMBEDDING);
  return embeddingOp(indices, weight, options.paddingIdx ?? null);
}
