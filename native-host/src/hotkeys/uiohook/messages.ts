import * as z from 'zod';
import { defineEvent, defineMethod, type Message } from '../../../../shared/protocol';
import { HOTKEY_ACTIONS, type HotkeyAction } from '../../../../shared/settings/hotkeys';

/** Parent (host) → helper, over the child-process IPC channel. */
export type ToHelper =
  | { type: 'bind'; seq: number; bindings: { action: HotkeyAction; combination: string }[] }
  | { type: 'copy'; seq: number; platform: NodeJS.Platform };

/** Helper → parent. */
export type FromHelper =
  | { type: 'ready' }
  | { type: 'press'; action: HotkeyAction }
  | { type: 'done'; seq: number; errors?: { action: HotkeyAction; message: string }[] }
  | { type: 'fatal'; message: string };

/**
 * The same channel as a family for the shared `Connection`: the helper answers `bind` and `copy`
 * (a `done` frame is the reply), the parent hears `press`. `ready` and `fatal` are the helper's
 * life, not messages of a conversation: the backend reads them before the connection does.
 */
const actionSchema = z.enum(HOTKEY_ACTIONS);
export const bind = defineMethod({
  method: 'bind',
  direction: 'to-helper',
  since: 1,
  params: () => z.object({ bindings: z.array(z.object({ action: actionSchema, combination: z.string() })) }),
  result: () => z.object({ errors: z.array(z.object({ action: actionSchema, message: z.string() })).optional() }),
});
export const copy = defineMethod({
  method: 'copy',
  direction: 'to-helper',
  since: 1,
  params: () => z.object({ platform: z.string() }),
  result: () => z.object({ errors: z.array(z.object({ action: actionSchema, message: z.string() })).optional() }),
});
export const press = defineEvent({ event: 'press', direction: 'to-parent', since: 1, data: () => z.object({ action: actionSchema }) });

export const helperSide = { methods: { bind, copy }, events: {} } as const;
export const parentSide = { methods: {}, events: { press } } as const;

/** An envelope request as a frame to the helper. */
export function toHelperFrame(m: Message): ToHelper | undefined {
  if (!('method' in m) || typeof m.id !== 'number') return undefined;
  return { type: m.method, seq: m.id, ...(m.params as object) } as ToHelper;
}

/** A frame from the helper as an envelope message (`done` → reply, `press` → push). */
export function fromHelperFrame(m: FromHelper): Message | undefined {
  if (m.type === 'done') return { id: m.seq, result: m.errors ? { errors: m.errors } : {} };
  if (m.type === 'press') return { event: 'press', data: { action: m.action } };
  return undefined;
}
