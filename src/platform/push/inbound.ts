// What a client may send. Spec 000 defines only the heartbeat pong in the client → server
// direction; everything else is dropped and counted, never acted on.

import type { RawData } from 'ws';

export type InboundKind = 'pong' | 'unsupported_type' | 'malformed';

/** Classifies one inbound data frame without trusting any of it. */
export function classifyInbound(data: RawData, isBinary: boolean): InboundKind {
  if (isBinary) return 'malformed';
  const text = rawDataToString(data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'malformed';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'malformed';
  const type = (parsed as { type?: unknown }).type;
  if (typeof type !== 'string') return 'malformed';
  return type === 'pong' ? 'pong' : 'unsupported_type';
}

/** Byte length of a frame as ws delivers it (Buffer, fragments, or ArrayBuffer). */
export function rawDataLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
