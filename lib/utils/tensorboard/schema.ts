/** The protobuf types of TensorBoard's event files, loaded on first use from the generated descriptor. */
import type { Type } from 'protobufjs';
import { lazyProtoRoot } from '../proto-root';
import { EVENT_SCHEMA } from './event-schema';

const root = lazyProtoRoot(EVENT_SCHEMA);

/** The message type `tensorboard.<name>` of event.proto. */
export function eventType(name: string): Type {
  return root().lookupType(`tensorboard.${name}`);
}

/** Serializes `value` (snake_case fields, as in event.proto) as a `tensorboard.<name>`. */
export function encodeMessage(name: string, value: Record<string, unknown>): Uint8Array {
  const type = eventType(name);
  return type.encode(type.fromObject(value)).finish();
}
