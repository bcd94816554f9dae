/** nn.Embedding: a learned lookup table of numEmbeddings vectors of size embeddingDim. */
import type { Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { fmtShape } from '../shape';
import { empty, checkTensor } from '../ops/util';
import { embedding, paddingRow } from '../ops/embedding';
import { Module } from './module';
import { Parameter } from './parameter';
import { normal_ } from './init';
import { defineOptions, readable, rejectUnknownOptions } from '../options';

/** Options of `Embedding` (PyTorch's keywords). */
export interface EmbeddingOptions {
  /** A row (negative counts from the end) initialised to zeros that gets no gradient (default none). */
  paddingIdx?: number | null;
  /** @internal Use this [numEmbeddings, embeddingDim] tensor as the weight instead of a fresh N(0, 1) one (PyTorch's `_weight`; public code uses `Embedding.fromPretrained`). */
  _weight?: Tensor | null;
  /** dtype of a fresh weight (default float32). */
  dtype?: DType;
}

/** Options of `Embedding.fromPretrained`. */
export interface FromPretrainedOptions {
  /** The weight gets no gradient (default true). */
  freeze?: boolean;
  /** As Embedding's paddingIdx (the row is used as given, not zeroed). */
  paddingIdx?: number | null;
}

const EMBEDDING = defineOptions<EmbeddingOptions>('Embedding', { paddingIdx: true, _weight: true, dtype: true });
const FROM_PRETRAINED = defineOptions<FromPretrainedOptions>('Embedding.fromPretrained', { freeze: true, paddingIdx: true });

/**
 * Maps int32 indices of any shape to rows of `weight` [numEmbeddings,
 * embeddingDim], initialised from N(0, 1) with the paddingIdx row zeroed, as
 * PyTorch's. The output has shape indices.shape + [embeddingDim].
 * PyTorch's `torch.nn.Embedding`.
 *
 * @example
 * ```ts
 * const emb = new nn.Embedding(1000, 64, { paddingIdx: 0 });
 * const tokens = torch.tensor([[5, 9, 0], [7, 0, 0]], { dtype: 'int32' });
 * const vectors = emb.forward(tokens);                       // [2, 3, 64]; rows of index 0 are zeros
 * const frozen = nn.Embedding.fromPretrained(emb.weight.detach());
 * ```
 */
export class Embedding extends Module<[Tensor], Tensor> {
  /** Size of the table. */
  readonly numEmbeddings: number;
  /** Size of each vector. */
  readonly embeddingDim: number;
  /** The row that gets no gradient, as a row number in [0, numEmbeddings), or null. */
  readonly paddingIdx: number | null;
  /** The [numEmbeddings, embeddingDim] table. */
  declare weight: Tensor;

  /**
   * @param numEmbeddings size of the table (the indices must lie in [0, numEmbeddings))
   * @param embeddingDim size of each vector
   * @param options `paddingIdx` (a row zeroed and without gradient; default none) and `dtype` of the weight (default float32)
   */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    rejectUnknownOptions(options, EMBEDDING);
    super();
    for (const [name, v] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Embedding: ${name} must be a non-negative integer, got ${readable(v)}`);
    }
    const { paddingIdx = null, _weight = null, dtype = 'float32' } = options;
    checkDType(dtype, 'Embedding');
    if (!isFloat(dtype)) throw new TypeError(`Embedding: dtype must be float32 or float64, got ${dtype}`);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingRow(paddingIdx, numEmbeddings, 'Embedding');
    if (_weight !== null) {
      checkTensor(_weight, 'Embedding', '_weight');
      if (_weight.ndim !== 2 || _weight.shape[0] !== numEmbeddings || _weight.shape[1] !== embeddingDim) {
        throw new RangeError(`Embedding: _weight must have shape [${numEmbeddings}, ${embeddingDim}] (numEmbeddings, embeddingDim), got ${fmtShape(_weight.shape)}`);
      }
      this.registerParameter('weight', Parameter(_weight));
      return;
    }
    const weight = normal_(empty([numEmbeddings, embeddingDim], dtype, 'Embedding'));
    const pad = this.paddingIdx;
    if (pad !== null) weight.data.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
    this.registerParameter('weight', weight);
  }

  /**
   * An Embedding whose weight is `embeddings` [numEmbeddings, embeddingDim]
   * itself (shared, not copied), frozen unless `{ freeze: false }`.
   * PyTorch's `Embedding.from_pretrained`.
   *
   * @param embeddings the [numEmbeddings, embeddingDim] float table
   * @param options `freeze` (default true) and `paddingIdx` (default none; that row is not zeroed)
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    rejectUnknownOptions(options, FROM_PRETRAINED);
    checkTensor(embeddings, 'Embedding.fromPretrained', 'embeddings');
    if (embeddings.ndim !== 2) throw new RangeError(`Embedding.fromPretrained: embeddings must be 2-D [numEmbeddings, embeddingDim], got ${fmtShape(embeddings.shape)}`);
    const { freeze = true, paddingIdx = null } = options;
    const m = new Embedding(embeddings.shape[0], embeddings.shape[1], { _weight: embeddings, paddingIdx });
    m.weight.requiresGrad = !freeze;
    return m;
  }

  /**
   * int32 indices [*] → [*, embeddingDim].
   *
   * @param indices an int32 tensor of any shape, entries in [0, numEmbeddings)
   */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}
