/**
 * Key combinations for the system-wide hotkeys, one text form everywhere: settings.json, the
 * protocol, the options page's key-capture field and the host's grabbers. Canonical form:
 * modifiers in the order Ctrl, Alt, Shift, Super, then one key, joined by "+" ("Ctrl+Alt+Shift+D").
 */
export const MODIFIERS = ['Ctrl', 'Alt', 'Shift', 'Super'] as const;
export type Modifier = (typeof MODIFIERS)[number];

export interface Combination {
  modifiers: readonly Modifier[];
  /** A name from KEYS. */
  key: string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const DIGITS = '0123456789'.split('');
const FUNCTION_KEYS = Array.from({ length: 24 }, (_, i) => `F${i + 1}`);
const NAMED = ['Space', 'Enter', 'Tab', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown', 'Up', 'Down', 'Left', 'Right', 'Pause'] as const;

/** Every key a combination may end in: each has an X11 keysym and a uiohook key code. */
export const KEYS: readonly string[] = [...LETTERS, ...DIGITS, ...FUNCTION_KEYS, ...NAMED];
const KEY_SET = new Set(KEYS);

const MODIFIER_ALIASES: Record<string, Modifier> = {
  ctrl: 'Ctrl',
  control: 'Ctrl',
  ctl: 'Ctrl',
  alt: 'Alt',
  option: 'Alt',
  opt: 'Alt',
  shift: 'Shift',
  super: 'Super',
  win: 'Super',
  windows: 'Super',
  meta: 'Super',
  cmd: 'Super',
  command: 'Super',
};

const KEY_ALIASES: Record<string, string> = {
  return: 'Enter',
  del: 'Delete',
  ins: 'Insert',
  pgup: 'PageUp',
  pgdn: 'PageDown',
  pagedown: 'PageDown',
  pageup: 'PageUp',
  arrowup: 'Up',
  arrowdown: 'Down',
  arrowleft: 'Left',
  arrowright: 'Right',
  spacebar: 'Space',
  break: 'Pause',
};

/** Keys that may stand alone (nobody types them as text). */
const LONE_KEYS = new Set([...FUNCTION_KEYS.slice(12), 'Pause']);

export type ParseResult = { ok: true; combination: Combination; text: string } | { ok: false; error: string };

function keyName(token: string): string | undefined {
  const lower = token.toLowerCase();
  if (KEY_ALIASES[lower]) return KEY_ALIASES[lower];
  const found = KEYS.find((k) => k.toLowerCase() === lower);
  return found;
}

/**
 * Reads a combination typed by a person or stored in settings: case-insensitive, aliases such as
 * "Control", "Cmd", "Win", "Return" accepted, spaces around "+" ignored. A combination needs Ctrl,
 * Alt or Super (Shift alone would steal typed capitals), except F13–F24 and Pause.
 */
export function parseCombination(input: string): ParseResult {
  const text = input.trim();
  if (!text) return { ok: false, error: 'empty combination' };
  if (text.length > 64) return { ok: false, error: 'combination too long' };
  // "Ctrl++" is not supported: no key in KEYS is "+".
  const tokens = text.split('+').map((t) => t.trim());
  if (tokens.some((t) => t === '')) return { ok: false, error: `"${text}" has an empty part` };
  const modifiers = new Set<Modifier>();
  let key: string | undefined;
  for (const [i, token] of tokens.entries()) {
    const modifier = MODIFIER_ALIASES[token.toLowerCase()];
    if (modifier && i < tokens.length - 1) {
      if (modifiers.has(modifier)) return { ok: false, error: `${modifier} appears twice` };
      modifiers.add(modifier);
      continue;
    }
    if (i < tokens.length - 1) return { ok: false, error: `"${token}" is not a modifier (Ctrl, Alt, Shift, Super)` };
    if (modifier) return { ok: false, error: 'a combination must end with a key, not a modifier' };
    key = keyName(token);
    if (!key) return { ok: false, error: `"${token}" is not a key that can be used` };
  }
  if (!key) return { ok: false, error: 'a combination must end with a key' };
  const ordered = MODIFIERS.filter((m) => modifiers.has(m));
  if (!LONE_KEYS.has(key) && !ordered.some((m) => m === 'Ctrl' || m === 'Alt' || m === 'Super')) {
    return { ok: false, error: 'add Ctrl, Alt or Super: without one, the keys would stop working for typing' };
  }
  const combination = { modifiers: ordered, key };
  return { ok: true, combination, text: formatCombination(combination) };
}

/** The canonical text of a combination. */
export function formatCombination(c: Combination): string {
  return [...MODIFIERS.filter((m) => c.modifiers.includes(m)), c.key].join('+');
}

/** True when `text` parses and is already in canonical form (what settings store). */
export function isCanonicalCombination(text: string): boolean {
  const r = parseCombination(text);
  return r.ok && r.text === text;
}

export type DisplayPlatform = 'mac' | 'win' | 'linux';

const MAC_SYMBOLS: Record<Modifier, string> = { Ctrl: '⌃', Alt: '⌥', Shift: '⇧', Super: '⌘' };
const KEY_LABELS: Record<string, string> = { Up: '↑', Down: '↓', Left: '←', Right: '→' };

/** How a combination is shown to a user on their system: "⌃⌥⇧D" on a Mac, "Ctrl+Alt+Win+D" on Windows. */
export function displayCombination(text: string, platform: DisplayPlatform): string {
  const r = parseCombination(text);
  if (!r.ok) return text;
  const { modifiers, key } = r.combination;
  const label = KEY_LABELS[key] ?? key;
  if (platform === 'mac') return modifiers.map((m) => MAC_SYMBOLS[m]).join('') + label;
  const name = (m: Modifier) => (m === 'Super' ? (platform === 'win' ? 'Win' : 'Super') : m);
  return [...modifiers.map(name), label].join('+');
}

/** The fields of a KeyboardEvent the key-capture field reads. */
export interface KeyEventLike {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** KeyboardEvent.code → key name; layout-independent, like the grabbers' physical keys. */
export function keyFromCode(code: string): string | undefined {
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return m[1];
  m = /^Digit([0-9])$/.exec(code);
  if (m) return m[1];
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return code;
  const named: Record<string, string> = {
    Space: 'Space',
    Enter: 'Enter',
    Tab: 'Tab',
    Backspace: 'Backspace',
    Delete: 'Delete',
    Insert: 'Insert',
    Home: 'Home',
    End: 'End',
    PageUp: 'PageUp',
    PageDown: 'PageDown',
    ArrowUp: 'Up',
    ArrowDown: 'Down',
    ArrowLeft: 'Left',
    ArrowRight: 'Right',
    Pause: 'Pause',
  };
  return named[code];
}

/**
 * What the key-capture field records for one keydown: a combination, `pending` while only
 * modifiers are held, or an error for a key that cannot be used.
 */
export function captureCombination(e: KeyEventLike): ParseResult | { ok: 'pending' } {
  if (/^(Control|Alt|Shift|Meta|OS|Super|Hyper)(Left|Right)?$/.test(e.code) || e.code === 'CapsLock' || e.code === 'NumLock') {
    return { ok: 'pending' };
  }
  const key = keyFromCode(e.code);
  if (!key) return { ok: false, error: `the key ${e.code || '(unknown)'} cannot be used` };
  const parts = [e.ctrlKey && 'Ctrl', e.altKey && 'Alt', e.shiftKey && 'Shift', e.metaKey && 'Super', key].filter(Boolean);
  return parseCombination(parts.join('+'));
}
