import { describe, expect, it } from 'vitest';
import { captureCombination, displayCombination, isCanonicalCombination, parseCombination } from './combination';

describe('parseCombination', () => {
  it.each([
    ['Ctrl+Alt+Shift+D', 'Ctrl+Alt+Shift+D'],
    ['shift+alt+ctrl+d', 'Ctrl+Alt+Shift+D'],
    [' Control + Option + p ', 'Ctrl+Alt+P'],
    ['Cmd+Shift+9', 'Shift+Super+9'],
    ['win+f5', 'Super+F5'],
    ['Ctrl+Return', 'Ctrl+Enter'],
    ['alt+arrowup', 'Alt+Up'],
    ['Ctrl+PgDn', 'Ctrl+PageDown'],
    ['F13', 'F13'],
    ['pause', 'Pause'],
    ['Meta+Space', 'Super+Space'],
  ])('%s → %s', (input, text) => {
    const r = parseCombination(input);
    expect(r).toMatchObject({ ok: true, text });
  });

  it.each([
    ['', /empty/],
    ['D', /add Ctrl, Alt or Super/],
    ['Shift+D', /add Ctrl, Alt or Super/],
    ['F5', /add Ctrl, Alt or Super/],
    ['Ctrl+Alt', /end with a key/],
    ['Ctrl+Ctrl+D', /twice/],
    ['Ctrl+D+E', /not a modifier/],
    ['Ctrl+', /empty part/],
    ['Ctrl+é', /not a key/],
    ['Hyper+D', /not a modifier/],
    ['Ctrl+F25', /not a key/],
    ['x'.repeat(80), /too long/],
  ])('refuses %j', (input, error) => {
    const r = parseCombination(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('knows the canonical form', () => {
    expect(isCanonicalCombination('Ctrl+Alt+Shift+D')).toBe(true);
    expect(isCanonicalCombination('Alt+Ctrl+Shift+D')).toBe(false);
    expect(isCanonicalCombination('ctrl+alt+shift+d')).toBe(false);
    expect(isCanonicalCombination('nonsense')).toBe(false);
  });
});

describe('displayCombination', () => {
  it('shows each system its own names', () => {
    expect(displayCombination('Ctrl+Alt+Shift+D', 'linux')).toBe('Ctrl+Alt+Shift+D');
    expect(displayCombination('Ctrl+Alt+Shift+D', 'mac')).toBe('⌃⌥⇧D');
    expect(displayCombination('Shift+Super+Up', 'mac')).toBe('⇧⌘↑');
    expect(displayCombination('Ctrl+Super+P', 'win')).toBe('Ctrl+Win+P');
    expect(displayCombination('Ctrl+Super+P', 'linux')).toBe('Ctrl+Super+P');
    expect(displayCombination('garbage', 'linux')).toBe('garbage');
  });
});

describe('captureCombination (the options page key-capture field)', () => {
  const ev = (code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
    code,
    ctrlKey: false,
    altKey: false,
    shiftKey: false,
    metaKey: false,
    ...mods,
  });
  it('reads physical keys with their modifiers', () => {
    expect(captureCombination(ev('KeyD', { ctrlKey: true, altKey: true, shiftKey: true }))).toMatchObject({ ok: true, text: 'Ctrl+Alt+Shift+D' });
    expect(captureCombination(ev('Digit7', { metaKey: true }))).toMatchObject({ ok: true, text: 'Super+7' });
    expect(captureCombination(ev('ArrowLeft', { altKey: true }))).toMatchObject({ ok: true, text: 'Alt+Left' });
    expect(captureCombination(ev('F24'))).toMatchObject({ ok: true, text: 'F24' });
  });
  it('waits while only modifiers are held', () => {
    expect(captureCombination(ev('ControlLeft', { ctrlKey: true }))).toEqual({ ok: 'pending' });
    expect(captureCombination(ev('ShiftRight', { shiftKey: true }))).toEqual({ ok: 'pending' });
    expect(captureCombination(ev('MetaLeft', { metaKey: true }))).toEqual({ ok: 'pending' });
  });
  it('refuses keys it cannot grab and combinations without a real modifier', () => {
    expect(captureCombination(ev('Semicolon', { ctrlKey: true })).ok).toBe(false);
    expect(captureCombination(ev('KeyA', { shiftKey: true })).ok).toBe(false);
    expect(captureCombination(ev('KeyA')).ok).toBe(false);
  });
});
