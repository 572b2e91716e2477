import { parseCombination, type Modifier } from '../../../../shared/hotkeys/combination';
import type { HotkeyAction } from '../../../../shared/settings/hotkeys';

/**
 * libuiohook's virtual key codes (uiohook.h VC_*, the values uiohook-napi's UiohookKey exports),
 * copied as numbers so this module, and its tests, never load the native addon.
 */
const LETTERS: Record<string, number> = {
  A: 30, B: 48, C: 46, D: 32, E: 18, F: 33, G: 34, H: 35, I: 23, J: 36, K: 37, L: 38, M: 50,
  N: 49, O: 24, P: 25, Q: 16, R: 19, S: 31, T: 20, U: 22, V: 47, W: 17, X: 45, Y: 21, Z: 44,
};
const DIGITS: Record<string, number> = { '0': 11, '1': 2, '2': 3, '3': 4, '4': 5, '5': 6, '6': 7, '7': 8, '8': 9, '9': 10 };
const FUNCTION: number[] = [59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 87, 88, 91, 92, 93, 99, 100, 101, 102, 103, 104, 105, 106, 107];
const NAMED: Record<string, number> = {
  Space: 57, Enter: 28, Tab: 15, Backspace: 14, Delete: 3667, Insert: 3666, Home: 3655, End: 3663,
  PageUp: 3657, PageDown: 3665, Up: 57416, Down: 57424, Left: 57419, Right: 57421, Pause: 3653,
};

export const MODIFIER_KEYCODES = {
  Ctrl: [29, 3613],
  Alt: [56, 3640],
  Shift: [42, 54],
  Meta: [3675, 3676],
} as const;
const ALL_MODIFIER_KEYCODES = new Set<number>(Object.values(MODIFIER_KEYCODES).flat());
export const KEY_C = LETTERS.C!;

export function uiohookKeycode(key: string): number | undefined {
  if (key in LETTERS) return LETTERS[key];
  if (key in DIGITS) return DIGITS[key];
  const f = /^F([0-9]{1,2})$/.exec(key);
  if (f) return FUNCTION[Number(f[1]) - 1];
  return NAMED[key];
}

/** The fields of uiohook's keyboard event that matter here. */
export interface KeyEvent {
  keycode: number;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

export interface UiohookBinding {
  action: HotkeyAction;
  keycode: number;
  modifiers: readonly Modifier[];
}

export function toUiohookBinding(action: HotkeyAction, combination: string): UiohookBinding | { error: string } {
  const r = parseCombination(combination);
  if (!r.ok) return { error: r.error };
  const keycode = uiohookKeycode(r.combination.key);
  if (keycode === undefined) return { error: `no key code for ${r.combination.key}` };
  return { action, keycode, modifiers: r.combination.modifiers };
}

/** The binding a keydown fires: same key, exactly the same modifiers (Super is Cmd/Win = meta). */
export function matchKeydown(e: KeyEvent, bindings: readonly UiohookBinding[]): HotkeyAction | undefined {
  const held = { Ctrl: e.ctrlKey, Alt: e.altKey, Shift: e.shiftKey, Super: e.metaKey };
  return bindings.find((b) => b.keycode === e.keycode && (Object.keys(held) as Modifier[]).every((m) => held[m] === b.modifiers.includes(m)))?.action;
}

/**
 * Which modifier keys are down, from the keydown/keyup stream. Synthesising Ctrl+C while the
 * user still holds Alt and Shift of the hotkey would send Ctrl+Alt+Shift+C instead: wait for them.
 */
export class ModifierTracker {
  private readonly down = new Set<number>();
  private waiters: (() => void)[] = [];

  keydown(keycode: number): void {
    if (ALL_MODIFIER_KEYCODES.has(keycode)) this.down.add(keycode);
  }

  keyup(keycode: number): void {
    this.down.delete(keycode);
    if (this.down.size === 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    }
  }

  get anyHeld(): boolean {
    return this.down.size > 0;
  }

  /** Resolves true once no modifier is held, false after `timeoutMs` (a missed keyup). */
  released(timeoutMs: number): Promise<boolean> {
    if (this.down.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((f) => f !== done);
        // A keyup the hook never saw must not block the next hotkey forever.
        this.down.clear();
        resolve(false);
      }, timeoutMs);
      this.waiters.push(done);
    });
  }
}
