/** torch.utils.tensorboard: `SummaryWriter` writes event files TensorBoard reads. */
export { SummaryWriter, type SummaryWriterOptions, type AddHparamsOptions, type ScalarLike } from './summary-writer';
export type { HistogramBins } from './histogram';
export type { HparamValue } from './summary';
