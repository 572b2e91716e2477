import type { Modifier } from '../../../shared/hotkeys/combination';

/** X11 keysym of each key a combination may end in (keysymdef.h). Letters: the lower-case keysym. */
export function keysymOf(key: string): number | undefined {
  if (/^[A-Z]$/.test(key)) return key.toLowerCase().charCodeAt(0);
  if (/^[0-9]$/.test(key)) return key.charCodeAt(0);
  const f = /^F([0-9]{1,2})$/.exec(key);
  if (f) return 0xffbe + Number(f[1]) - 1;
  return NAMED[key];
}

const NAMED: Record<string, number> = {
  Space: 0x0020,
  Enter: 0xff0d,
  Tab: 0xff09,
  Backspace: 0xff08,
  Delete: 0xffff,
  Insert: 0xff63,
  Home: 0xff50,
  End: 0xff57,
  PageUp: 0xff55,
  PageDown: 0xff56,
  Left: 0xff51,
  Up: 0xff52,
  Right: 0xff53,
  Down: 0xff54,
  Pause: 0xff13,
};

export const XK = {
  Num_Lock: 0xff7f,
  Alt_L: 0xffe9,
  Alt_R: 0xffea,
  Meta_L: 0xffe7,
  Super_L: 0xffeb,
  Super_R: 0xffec,
} as const;

/** Core modifier bits of the X protocol. */
export const MASK = { Shift: 1, Lock: 2, Control: 4, Mod1: 8, Mod2: 16, Mod3: 32, Mod4: 64, Mod5: 128 } as const;

/** Which ModN bit carries Alt, Super and NumLock on this server (xmodmap -pm). */
export interface ModifierBits {
  alt: number;
  super: number;
  numLock: number;
}

/**
 * Reads the server's modifier map: rows[i] lists the keycodes of modifier i (Shift, Lock,
 * Control, Mod1…Mod5); keysymsOf(keycode) gives a keycode's keysyms. Falls back to the usual
 * Mod1 = Alt, Mod4 = Super, Mod2 = NumLock when a keysym is on no row.
 */
export function modifierBits(rows: number[][], keysymsOf: (keycode: number) => readonly number[]): ModifierBits {
  const find = (syms: number[], fallback: number) => {
    for (let i = 3; i < 8; i++) {
      if ((rows[i] ?? []).some((kc) => kc !== 0 && keysymsOf(kc).some((s) => syms.includes(s)))) return 1 << i;
    }
    return fallback;
  };
  return {
    alt: find([XK.Alt_L, XK.Alt_R, XK.Meta_L], MASK.Mod1),
    super: find([XK.Super_L, XK.Super_R], MASK.Mod4),
    numLock: find([XK.Num_Lock], MASK.Mod2),
  };
}

export function modifierMask(modifiers: readonly Modifier[], bits: ModifierBits): number {
  let mask = 0;
  for (const m of modifiers) {
    if (m === 'Ctrl') mask |= MASK.Control;
    else if (m === 'Shift') mask |= MASK.Shift;
    else if (m === 'Alt') mask |= bits.alt;
    else mask |= bits.super;
  }
  return mask;
}

/**
 * The masks one combination is grabbed with: X matches modifiers exactly, so CapsLock and
 * NumLock (on or off) each need their own grab, or the hotkey dies whenever one of them is on.
 */
export function grabVariants(base: number, bits: ModifierBits): number[] {
  return [...new Set([base, base | MASK.Lock, base | bits.numLock, base | MASK.Lock | bits.numLock])];
}

/** The first keycode producing `keysym` (column 0 preferred, as xdotool and XKeysymToKeycode do). */
export function keycodeFor(keysym: number, mapping: number[][], minKeycode: number): number | undefined {
  for (const column of [0, 1, 2, 3]) {
    const i = mapping.findIndex((row) => row[column] === keysym);
    if (i >= 0) return minKeycode + i;
  }
  return undefined;
}

