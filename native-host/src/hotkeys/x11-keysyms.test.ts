import { describe, expect, it } from 'vitest';
import { grabVariants, keycodeFor, keysymOf, MASK, modifierBits, modifierMask, XK } from './x11-keysyms';

describe('X11 key mapping', () => {
  it('knows the keysyms (keysymdef.h)', () => {
    expect(keysymOf('D')).toBe(0x64);
    expect(keysymOf('7')).toBe(0x37);
    expect(keysymOf('F1')).toBe(0xffbe);
    expect(keysymOf('F24')).toBe(0xffbe + 23);
    expect(keysymOf('Enter')).toBe(0xff0d);
    expect(keysymOf('Nope')).toBeUndefined();
  });

  it('finds a keycode, preferring the unshifted column', () => {
    const mapping = [
      [0x41, 0x61],
      [0x64, 0x44],
    ];
    expect(keycodeFor(0x64, mapping, 8)).toBe(9);
    expect(keycodeFor(0x41, mapping, 8)).toBe(8);
    expect(keycodeFor(0x7a, mapping, 8)).toBeUndefined();
  });

  it('reads Alt, Super and NumLock from the modifier map, with the usual fallbacks', () => {
    // keycode 64 = Alt_L on Mod1, 77 = Num_Lock on Mod2, 133 = Super_L on Mod4 (a stock X server).
    const syms: Record<number, number[]> = { 64: [XK.Alt_L], 77: [XK.Num_Lock], 133: [XK.Super_L] };
    const rows = [[50], [66], [37], [64], [77], [], [133], []];
    expect(modifierBits(rows, (kc) => syms[kc] ?? [])).toEqual({ alt: MASK.Mod1, numLock: MASK.Mod2, super: MASK.Mod4 });
    // NumLock moved to Mod3 on this keyboard.
    const moved = [[50], [66], [37], [64], [], [77], [133], []];
    expect(modifierBits(moved, (kc) => syms[kc] ?? []).numLock).toBe(MASK.Mod3);
    expect(modifierBits([], () => [])).toEqual({ alt: MASK.Mod1, numLock: MASK.Mod2, super: MASK.Mod4 });
  });

  it('grabs each combination with CapsLock and NumLock on and off', () => {
    const bits = { alt: MASK.Mod1, numLock: MASK.Mod2, super: MASK.Mod4 };
    const base = modifierMask(['Ctrl', 'Alt', 'Shift'], bits);
    expect(base).toBe(MASK.Control | MASK.Mod1 | MASK.Shift);
    expect(grabVariants(base, bits)).toEqual([base, base | MASK.Lock, base | MASK.Mod2, base | MASK.Lock | MASK.Mod2]);
    expect(modifierMask(['Super'], bits)).toBe(MASK.Mod4);
  });
});
