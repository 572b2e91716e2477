import * as z from 'zod';
import { defineEvent, defineMethod, type Message } from '../../shared/protocol';
import type { BackgroundToUi, UiAction, UiState, UiToBackground } from './ui-state';

/**
 * The `ui` runtime port between an extension page (popup, options, confirmation) and the
 * background, as a family for the shared `Connection`. Both ends are this build's own code, so
 * the checks are of shape only; the host's values inside were checked when they arrived.
 */
const outcomeSchema = z.object({
  ok: z.boolean(),
  value: z.unknown().optional(),
  error: z.string().optional(),
  code: z.number().optional(),
  data: z.unknown().optional(),
});
export type ActionOutcome = z.infer<typeof outcomeSchema>;

/** Page → background: run one action; its outcome (a failure included) is the result. */
export const act = defineMethod({
  method: 'action',
  direction: 'to-background',
  since: 1,
  params: () => z.custom<UiAction>((v) => typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'),
  result: () => outcomeSchema,
});

/** Background → page: the whole UI state, after every change. */
export const statePush = defineEvent({
  event: 'state',
  direction: 'to-page',
  since: 1,
  data: () => z.custom<UiState>((v) => typeof v === 'object' && v !== null && 'connection' in v && Array.isArray((v as { calls?: unknown }).calls)),
});

export const backgroundSide = { methods: { action: act }, events: {} } as const;
export const pageSide = { methods: {}, events: { state: statePush } } as const;

/** An envelope message as a frame of the `ui` port (the frames predate the shared connection). */
export function toUiFrame(m: Message): BackgroundToUi | UiToBackground | undefined {
  if ('method' in m && m.method === 'action') return { type: 'action', seq: m.id as number, action: m.params as UiAction };
  if ('event' in m && m.event === 'state') return { type: 'state', state: m.data as UiState };
  if ('result' in m) return { type: 'action-result', seq: m.id as number, ...(m.result as ActionOutcome) };
  return undefined;
}

/** A frame of the `ui` port as an envelope message; undefined for anything else. */
export function fromUiFrame(raw: unknown): Message | undefined {
  const f = raw as (BackgroundToUi | UiToBackground) | null | undefined;
  if (f?.type === 'action' && typeof f.seq === 'number') return { id: f.seq, method: 'action', params: f.action };
  if (f?.type === 'state') return { event: 'state', data: f.state };
  if (f?.type === 'action-result' && typeof f.seq === 'number') {
    const { type: _type, seq, ...outcome } = f;
    return { id: seq, result: outcome };
  }
  return undefined;
}
