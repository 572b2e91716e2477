import * as z from 'zod';
import { callInfoSchema } from './call';
import { defineEvent, defineMethod } from './define';

export const hotkeyActionSchema = z.enum(['dial', 'show']);

/**
 * Why the host has no hotkeys: `wayland` (only a desktop shortcut bound to `voispeed
 * dial-selection` / `voispeed show` works there), `no-display` (no DISPLAY), `x-server` (the X
 * server refused or dropped the connection), `disabled`
 * (the user turned them off), `helper-failed` (the Windows/macOS key hook could not start),
 * `unsupported-platform`.
 */
export const hotkeyUnavailableSchema = z.enum(['wayland', 'no-display', 'x-server', 'disabled', 'helper-failed', 'unsupported-platform']);
export type HotkeyUnavailable = z.infer<typeof hotkeyUnavailableSchema>;

export const hotkeyBindingSchema = z.lazy(() => z.object({
  action: hotkeyActionSchema,
  /** Canonical combination, null when none is set. */
  combination: z.string().max(64).nullable(),
  /**
   * `grabbed`: ours, the key no longer reaches other programs (X11). `listening`: seen passively,
   * the focused program gets it too (Windows/macOS). `in-use`: another program holds it.
   * `unbound`: no combination set. `failed`: the system refused it for another reason.
   */
  state: z.enum(['grabbed', 'listening', 'in-use', 'unbound', 'failed']),
  message: z.string().max(300).optional(),
}));
export type HotkeyBinding = z.infer<typeof hotkeyBindingSchema>;

export const hotkeyStatusSchema = z.lazy(() => z.object({
  /** Which mechanism holds the keys. */
  backend: z.enum(['x11', 'uiohook', 'none']),
  available: z.boolean(),
  reason: hotkeyUnavailableSchema.optional(),
  /** Details for the log-reading user (e.g. the X error), never shown as the only explanation. */
  message: z.string().max(300).optional(),
  bindings: z.array(hotkeyBindingSchema),
}));
export type HotkeyStatus = z.infer<typeof hotkeyStatusSchema>;

export const status = defineMethod({
  method: 'hotkeys.status',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({}).optional(),
  result: () => hotkeyStatusSchema,
});

/**
 * What a hotkey does, asked for without the key: `voispeed dial-selection` / `voispeed show` (a
 * desktop shortcut on Wayland) and the tests. Repeated triggers within 1 s count once (`ignored`).
 */
export const trigger = defineMethod({
  method: 'hotkeys.trigger',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ action: hotkeyActionSchema }),
  result: () => z.object({
    outcome: z.enum(['dialled', 'shown', 'ignored', 'not-dialable', 'failed']),
    call: callInfoSchema.optional(),
    /** For not-dialable / failed: what was selected (one line, ≤ 60 characters) and why. */
    excerpt: z.string().max(64).optional(),
    reason: z.string().max(300).optional(),
  }),
});

/** The hotkeys' state changed (grabbed, in use, unavailable); also pushed after hello. */
export const statusChanged = defineEvent({ event: 'hotkeys', direction: 'to-extension', since: 1, data: () => hotkeyStatusSchema });

/** Bring the phone window (the popup UI in its own small window) to the front. */
export const showPhone = defineEvent({
  event: 'phone.show',
  direction: 'to-extension',
  since: 1,
  data: () => z.object({ reason: z.enum(['hotkey', 'cli', 'call']), callId: z.string().max(128).optional() }),
});

/** The dial hotkey found nothing to call: the extension shows a notification saying why. */
export const notDialable = defineEvent({
  event: 'hotkeys.not-dialable',
  direction: 'to-extension',
  since: 1,
  data: () => z.object({
    excerpt: z.string().max(64),
    reason: z.enum(['empty', 'too-long', 'not-a-number', 'tax-or-bank-code', 'no-selection', 'dial-failed']),
    message: z.string().max(300).optional(),
  }),
});
