import * as x11 from 'x11';
import { parseCombination } from '../../../shared/hotkeys/combination';
import type { HotkeyBinding } from '../../../shared/protocol';
import type { HotkeyAction } from '../../../shared/settings/hotkeys';
import { unbound, type BindingRequest, type HotkeyBackend } from './backend';
import { grabVariants, keycodeFor, keysymOf, MASK, modifierBits, modifierMask, type ModifierBits } from './x11-keysyms';

const BAD_ACCESS = 10;
const GRAB_MODE_ASYNC = 1;
const INPUT_ONLY = 2;
const ATOM_PRIMARY = 1;
const ATOM_STRING = 31;
const ANY_PROPERTY_TYPE = 0;
/** A selection bigger than this is prose, not a number (in 4-byte units for GetProperty). */
const MAX_SELECTION_LONGS = 1024;

export interface X11Options {
  display: string;
  connectTimeoutMs?: number;
  /** How long a selection owner may take to answer ConvertSelection. */
  selectionTimeoutMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

interface Grab {
  action: HotkeyAction;
  keycode: number;
  mask: number;
  variants: number[];
}

/** Opens a connection to the X server, or rejects with why not (refused, no such display, timeout). */
function connect(display: string, timeoutMs: number): Promise<x11.XDisplay> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error(`the X server on ${display} did not answer within ${timeoutMs} ms`)), timeoutMs);
    const finish = (err: Error | undefined, d?: x11.XDisplay) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        try {
          client.terminate();
        } catch {
          // never connected
        }
        reject(err);
      } else resolve(d!);
    };
    const client = x11.createClient({ display, shm: false }, (err, d) => finish(err ? new Error(`cannot open X display ${display}: ${err.message}`) : undefined, d));
    // Handshake failures (e.g. "Authorization required") arrive as 'error' events.
    client.on('error', (err: Error) => finish(new Error(`cannot open X display ${display}: ${err.message}`)));
  });
}

const p = <T>(fn: (cb: (err: x11.XError | null | undefined, v: T) => unknown) => void): Promise<T> =>
  new Promise((resolve, reject) =>
    fn((err, v) => {
      if (err) reject(err);
      else resolve(v);
      return true;
    }),
  );

/**
 * Hotkeys on X11 through the pure-JS `x11` client: XGrabKey on the root window (the key then
 * reaches no other program; BadAccess means another client holds it), and the highlighted text
 * read with ConvertSelection, PRIMARY first, then CLIPBOARD.
 */
export class X11Backend implements HotkeyBackend {
  readonly kind = 'x11' as const;
  private grabs: Grab[] = [];
  private readonly pressListeners = new Set<(a: HotkeyAction) => void>();
  private readonly lostListeners = new Set<(m: string) => void>();
  private selectionWaiters: ((ev: x11.XEvent) => void)[] = [];
  private selectionQueue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly display: x11.XDisplay,
    private readonly X: x11.XClient,
    private readonly root: number,
    private readonly mapping: number[][],
    private readonly bits: ModifierBits,
    private readonly window: number,
    private readonly atoms: { clipboard: number; utf8: number; prop: number; incr: number },
    private readonly o: X11Options,
  ) {
    X.on('event', (ev: x11.XEvent) => this.event(ev));
    X.on('error', (err: x11.XError) => o.log?.warn({ err: err.message, code: err.error }, 'X error'));
    const lost = () => {
      if (this.closed) return;
      this.closed = true;
      this.grabs = [];
      for (const l of this.lostListeners) l(`lost the connection to the X server on ${o.display}`);
    };
    X.on('end', lost);
    X.on('close', lost);
  }

  static async open(o: X11Options): Promise<X11Backend> {
    const display = await connect(o.display, o.connectTimeoutMs ?? 3000);
    const X = display.client;
    try {
      const root = display.screen[0]!.root;
      const count = display.max_keycode - display.min_keycode + 1;
      const mapping = await p<number[][]>((cb) => X.GetKeyboardMapping(display.min_keycode, count, cb));
      const rows = await p<number[][]>((cb) => X.GetModifierMapping(cb));
      const bits = modifierBits(rows, (kc) => mapping[kc - display.min_keycode] ?? []);
      const atom = (name: string) => p<number>((cb) => X.InternAtom(false, name, cb));
      const [clipboard, utf8, prop, incr] = await Promise.all([atom('CLIPBOARD'), atom('UTF8_STRING'), atom('VOISPEED_SELECTION'), atom('INCR')]);
      // A window that is never mapped: the requestor of selection conversions.
      const window = X.AllocID();
      X.CreateWindow(window, root, -1, -1, 1, 1, 0, 0, INPUT_ONLY, 0, {});
      await X.sync();
      return new X11Backend(display, X, root, mapping, bits, window, { clipboard, utf8, prop, incr }, o);
    } catch (err) {
      X.terminate();
      throw err;
    }
  }

  onPress(listener: (a: HotkeyAction) => void): void {
    this.pressListeners.add(listener);
  }

  onLost(listener: (m: string) => void): void {
    this.lostListeners.add(listener);
  }

  async bind(bindings: readonly BindingRequest[]): Promise<HotkeyBinding[]> {
    if (this.closed) throw new Error('the X connection is closed');
    await this.ungrabAll();
    const results: HotkeyBinding[] = [];
    for (const b of bindings) results.push(await this.grabOne(b));
    return results;
  }

  private async grabOne(b: BindingRequest): Promise<HotkeyBinding> {
    if (b.combination === null) return unbound(b.action);
    const parsed = parseCombination(b.combination);
    if (!parsed.ok) return { action: b.action, combination: b.combination, state: 'failed', message: parsed.error };
    const keysym = keysymOf(parsed.combination.key);
    const keycode = keysym === undefined ? undefined : keycodeFor(keysym, this.mapping, this.display.min_keycode);
    if (keycode === undefined) {
      return { action: b.action, combination: b.combination, state: 'failed', message: `this keyboard has no ${parsed.combination.key} key` };
    }
    const mask = modifierMask(parsed.combination.modifiers, this.bits);
    const variants = grabVariants(mask, this.bits);
    const outcomes = await Promise.all(
      variants.map((m) => new Promise<x11.XError | null>((resolve) => this.X.GrabKey(this.root, 0, m, keycode, GRAB_MODE_ASYNC, GRAB_MODE_ASYNC, (err) => (resolve(err), true)))),
    );
    const failed = outcomes.find((e) => e !== null);
    if (!failed) {
      this.grabs.push({ action: b.action, keycode, mask, variants });
      return { action: b.action, combination: b.combination, state: 'grabbed' };
    }
    // Give back the variants we did get: a half-grabbed combination would work only with NumLock on.
    variants.forEach((m, i) => outcomes[i] === null && this.X.UngrabKey(this.root, keycode, m));
    await this.X.sync();
    if (failed.error === BAD_ACCESS) {
      return { action: b.action, combination: b.combination, state: 'in-use', message: 'another program already uses this combination' };
    }
    return { action: b.action, combination: b.combination, state: 'failed', message: `X error ${failed.error}: ${failed.message}` };
  }

  private async ungrabAll(): Promise<void> {
    const grabs = this.grabs;
    this.grabs = [];
    for (const g of grabs) for (const m of g.variants) this.X.UngrabKey(this.root, g.keycode, m);
    if (grabs.length) await this.X.sync();
  }

  private event(ev: x11.XEvent): void {
    if (ev.name === 'KeyPress') {
      // Only the modifier bits count: CapsLock, NumLock and mouse buttons are ignored.
      const state = (ev.buttons ?? 0) & 0xff & ~(MASK.Lock | this.bits.numLock);
      const grab = this.grabs.find((g) => g.keycode === ev.keycode && g.mask === state);
      if (grab) for (const l of this.pressListeners) l(grab.action);
    } else if (ev.name === 'SelectionNotify' && ev.requestor === this.window) {
      const waiters = this.selectionWaiters;
      this.selectionWaiters = [];
      for (const w of waiters) w(ev);
    }
  }

  readSelection(): Promise<string | undefined> {
    const run = this.selectionQueue.then(async () => {
      for (const selection of [ATOM_PRIMARY, this.atoms.clipboard]) {
        const owner = await p<number>((cb) => this.X.GetSelectionOwner(selection, cb));
        if (!owner) continue;
        const text = (await this.convert(selection, this.atoms.utf8)) ?? (await this.convert(selection, ATOM_STRING));
        if (text !== undefined && text.trim() !== '') return text;
      }
      return undefined;
    });
    this.selectionQueue = run.catch(() => undefined);
    return run;
  }

  /** One ConvertSelection round: ask the owner to write the text into our property, read it back. */
  private async convert(selection: number, target: number): Promise<string | undefined> {
    const notified = new Promise<x11.XEvent | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.selectionWaiters = this.selectionWaiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, this.o.selectionTimeoutMs ?? 500);
      const waiter = (ev: x11.XEvent) => {
        clearTimeout(timer);
        resolve(ev);
      };
      this.selectionWaiters.push(waiter);
    });
    this.X.ConvertSelection(this.window, selection, target, this.atoms.prop, 0);
    const ev = await notified;
    if (!ev || !ev.property) return undefined;
    const prop = await p<{ type: number; format: number; bytesAfter: number; data: Buffer }>((cb) =>
      this.X.GetProperty(1, this.window, this.atoms.prop, ANY_PROPERTY_TYPE, 0, MAX_SELECTION_LONGS, cb),
    );
    // INCR: the owner would send it in chunks, which only a selection far too long to be a number needs.
    if (prop.type === this.atoms.incr) return 'x'.repeat(MAX_SELECTION_LONGS * 4 + 1);
    const text = prop.data.toString(prop.type === ATOM_STRING ? 'latin1' : 'utf8');
    return prop.bytesAfter > 0 ? text + '…'.repeat(1 + MAX_SELECTION_LONGS) : text;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.ungrabAll();
      this.X.DestroyWindow(this.window);
      await this.X.sync();
    } catch {
      // the server is gone already
    }
    this.closed = true;
    this.X.terminate();
  }
}
