import type { ProtocolErrorShape } from '../../shared/protocol';
import type { PcEventData } from './snapshot';

/**
 * The background ⇄ offscreen document channel (Chrome). One runtime port, opened by the document,
 * carries calls, their replies and the engine's events in order: a reply and the events before it
 * must reach the host in the order they happened, which two separate channels cannot promise.
 */
export const MEDIA_PORT_NAME = 'voispeed.media';
export const OFFSCREEN_PATH = 'extension/offscreen/index.html';

export type ToEngine = { kind: 'call'; id: number; method: string; params: unknown };

export type FromEngine =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: ProtocolErrorShape }
  | { kind: 'event'; data: PcEventData };
