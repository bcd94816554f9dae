/** ONNX's protobuf types, loaded on first use from the descriptor generated from onnx.proto. */
import type { Type } from 'protobufjs';
import { lazyProtoRoot } from '../utils/proto-root';
import { ONNX_SCHEMA } from './onnx-schema';

const root = lazyProtoRoot(ONNX_SCHEMA);
const modelType = (): Type => root().lookupType('onnx.ModelProto');

/** Serializes a ModelProto given in object form (onnx.proto's snake_case field names). */
export function encodeModel(model: Record<string, unknown>): Uint8Array {
  const MODEL = modelType();
  const problem = MODEL.verify(model);
  if (problem !== null) throw new Error(`onnx.export: internal error, invalid ModelProto: ${problem}`);
  return MODEL.encode(MODEL.fromObject(model)).finish();
}

/** Decodes ModelProto bytes into object form (enums and int64 as numbers); what tests read back. */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const MODEL = modelType();
  return MODEL.toObject(MODEL.decode(bytes), { longs: Number, bytes: Array });
}
