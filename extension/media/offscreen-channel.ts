import * as z from 'zod';
import { defineEvent, type Message, type MethodSpec, type ProtocolErrorShape } from '../../shared/protocol';
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

/**
 * The channel's vocabulary for the shared `Connection`. The engine answers the media bridge's
 * methods and the background's own (engine-dispatch.ts), test builds add probes: any name, checked
 * by the engine, hence an open table. Its one push is a peer-connection event, checked in full by
 * the shared table when the relay sends it on to the host; here only its shape.
 */
const engineEvent = defineEvent({
  event: 'media.pc',
  direction: 'to-background',
  since: 1,
  data: () => z.looseObject({ pcId: z.string(), type: z.string() }),
});
export const workerSide = { methods: {}, events: { 'media.pc': engineEvent } } as const;
export const engineSide = { methods: {} as Record<string, MethodSpec<string, z.ZodUnknown, z.ZodUnknown>>, events: {} } as const;

/** An envelope message as this port's frame; undefined for what the worker never sends. */
export function toEngineFrame(m: Message): ToEngine | undefined {
  return 'method' in m ? { kind: 'call', id: m.id as number, method: m.method, params: m.params } : undefined;
}

/** A frame from the document as an envelope message; undefined for anything else. */
export function fromEngineFrame(m: unknown): Message | undefined {
  const f = m as FromEngine | null | undefined;
  if (f?.kind === 'result') return { id: f.id, result: f.result };
  if (f?.kind === 'error') return { id: f.id, error: f.error };
  if (f?.kind === 'event') return { event: 'media.pc', data: f.data };
  return undefined;
}
