import * as z from 'zod';
import { parseCombination } from '../hotkeys/combination';

/**
 * Defaults for the system-wide hotkeys. Ctrl+Alt+Shift with a letter is left alone by GNOME, KDE,
 * Xfce, Windows and macOS, and by the common applications (which use Ctrl+Shift or Ctrl+Alt);
 * D for "dial", P for "phone". Documented in README.md (Hotkeys).
 */
export const DEFAULT_DIAL_COMBINATION = 'Ctrl+Alt+Shift+D';
export const DEFAULT_SHOW_COMBINATION = 'Ctrl+Alt+Shift+P';

/** A combination in canonical form ("Ctrl+Alt+Shift+D"), or null for none. */
export const combinationSchema = z
  .string()
  .max(64)
  .superRefine((text, ctx) => {
    const r = parseCombination(text);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
    else if (r.text !== text) ctx.addIssue({ code: 'custom', message: `write it as ${r.text}` });
  })
  .nullable();

/** System-wide hotkeys: `dial` calls the highlighted number, `show` brings the phone window to the front. */
export const hotkeySettingsSchema = z.lazy(() => z
  .strictObject({
    enabled: z.boolean().default(true),
    dial: combinationSchema.default(DEFAULT_DIAL_COMBINATION),
    show: combinationSchema.default(DEFAULT_SHOW_COMBINATION),
  })
  .refine((h) => h.dial === null || h.dial !== h.show, { message: 'dial and show need different combinations', path: ['show'] }));
export type HotkeySettings = z.infer<typeof hotkeySettingsSchema>;
let defaultHotkeysValue: HotkeySettings | undefined;
/** The section with every default filled in (its schema's), built on first use: one shared object, never changed. */
export const defaultHotkeys = (): HotkeySettings => (defaultHotkeysValue ??= hotkeySettingsSchema.parse({}));

export const HOTKEY_ACTIONS = ['dial', 'show'] as const;
export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];
