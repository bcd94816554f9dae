/**
 * The Summary protobufs SummaryWriter writes, as PyTorch's
 * torch.utils.tensorboard.summary builds them (plain-object form of event.proto).
 */
import { encodeMessage } from './schema';
import type { HistogramFields } from './histogram';

/** One Summary.Value in object form. */
export type SummaryValue = Record<string, unknown>;

/** A scalar: `simple_value` under `tag`. */
export function scalarValue(tag: string, value: number): SummaryValue {
  return { tag, simple_value: value };
}

/** A histogram under `tag`. */
export function histogramValue(tag: string, histo: HistogramFields): SummaryValue {
  return { tag, histo };
}

function pluginMetadata(pluginName: string, content: Uint8Array): Record<string, unknown> {
  return { plugin_data: { plugin_name: pluginName, content } };
}

/** Text for the text plugin: a DT_STRING tensor of one element under `<tag>/text_summary`. */
export function textValue(tag: string, text: string): SummaryValue {
  return {
    tag: `${tag}/text_summary`,
    metadata: pluginMetadata('text', encodeMessage('TextPluginData', { version: 0 })),
    tensor: { dtype: 'DT_STRING', string_val: [Buffer.from(text, 'utf8')], tensor_shape: { dim: [{ size: 1 }] } },
  };
}

/** A hyperparameter value: what the hparams plugin accepts. */
export type HparamValue = number | string | boolean;

/** Summary.Value holding one HParamsPluginData (the experiment, a session start or a session end). */
function hparamsValue(tag: string, data: Record<string, unknown>): SummaryValue {
  return { tag, metadata: pluginMetadata('hparams', encodeMessage('HParamsPluginData', { version: 0, ...data })) };
}

function hparamType(v: HparamValue): string {
  if (typeof v === 'number') return 'DATA_TYPE_FLOAT64';
  return typeof v === 'boolean' ? 'DATA_TYPE_BOOL' : 'DATA_TYPE_STRING';
}

function protoValue(v: HparamValue): Record<string, unknown> {
  if (typeof v === 'number') return { number_value: v };
  return typeof v === 'boolean' ? { bool_value: v } : { string_value: v };
}

/** The experiment, session-start and session-end values of PyTorch's `hparams()` summary. */
export function hparamsValues(hparams: Record<string, HparamValue>, metricTags: readonly string[]): SummaryValue[] {
  const experiment = {
    hparam_infos: Object.entries(hparams).map(([name, v]) => ({ name, type: hparamType(v) })),
    metric_infos: metricTags.map((tag) => ({ name: { tag } })),
  };
  const start = { hparams: Object.fromEntries(Object.entries(hparams).map(([k, v]) => [k, protoValue(v)])) };
  return [
    hparamsValue('_hparams_/experiment', { experiment }),
    hparamsValue('_hparams_/session_start_info', { session_start_info: start }),
    hparamsValue('_hparams_/session_end_info', { session_end_info: { status: 'STATUS_SUCCESS' } }),
  ];
}
