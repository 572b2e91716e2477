import { describe, expect, it, vi } from 'vitest';
import type { HotkeyAction } from '../../../../shared/settings/hotkeys';
import { copySelection, type ClipboardOs } from './copy-selection';
import { runHelper, type HookLike } from './helper';
import { KEY_C, MODIFIER_KEYCODES, matchKeydown, toUiohookBinding, uiohookKeycode, type KeyEvent } from './keys';
import type { FromHelper, ToHelper } from './messages';
import { UiohookBackend, type HelperProcess } from './uiohook-backend';

/** uiohook-napi's hook, faked: the test presses keys, the fake records what the helper taps. */
class FakeHook implements HookLike {
  listeners: Record<string, ((e: KeyEvent) => void)[]> = { keydown: [], keyup: [] };
  taps: { key: number; modifiers: number[] }[] = [];
  startError: Error | undefined;
  on(event: 'keydown' | 'keyup', l: (e: KeyEvent) => void) {
    this.listeners[event]!.push(l);
    return this;
  }
  start() {
    if (this.startError) throw this.startError;
  }
  stop() {}
  keyTap(key: number, modifiers: number[] = []) {
    this.taps.push({ key, modifiers });
  }
  emit(type: 'keydown' | 'keyup', keycode: number, mods: Partial<Omit<KeyEvent, 'keycode'>> = {}) {
    const e = { keycode, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods };
    for (const l of this.listeners[type]!) l(e);
  }
}

/** The helper running in-process, wired to a UiohookBackend through a fake child process. */
function pair(platform: NodeJS.Platform = 'win32', hook = new FakeHook()) {
  let clipboard = 'saved text';
  const writes: string[] = [];
  const toParent: ((m: FromHelper) => void)[] = [];
  const toChild: ((m: ToHelper) => void)[] = [];
  const exits: ((why: string) => void)[] = [];
  let selectionOnCopy: string | undefined = '02 6161 6161';
  const child: HelperProcess = {
    send: (m) => queueMicrotask(() => toChild.forEach((l) => l(m))),
    onMessage: (l) => toParent.push(l),
    onExit: (l) => exits.push(l),
    kill: () => undefined,
  };
  const start = () =>
    queueMicrotask(() =>
      runHelper(hook, {
        send: (m) => {
          // The focused program answers the synthesised copy by filling the clipboard.
          if (m.type === 'done' && hook.taps.length && selectionOnCopy !== undefined) clipboard = selectionOnCopy;
          queueMicrotask(() => toParent.forEach((l) => l(m)));
        },
        onMessage: (l) => toChild.push(l),
      }),
    );
  const opened = UiohookBackend.open({
    platform,
    spawnHelper: () => (start(), child),
    clipboard: {
      read: async () => clipboard,
      write: async (t) => {
        writes.push(t);
        clipboard = t;
      },
    },
  });
  return {
    hook,
    opened,
    writes,
    clipboard: () => clipboard,
    setSelection: (s: string | undefined) => (selectionOnCopy = s),
    exit: (why: string) => exits.forEach((l) => l(why)),
  };
}

describe('uiohook key codes and matching', () => {
  it('maps every key to libuiohook codes', () => {
    expect(uiohookKeycode('D')).toBe(32);
    expect(uiohookKeycode('0')).toBe(11);
    expect(uiohookKeycode('F12')).toBe(88);
    expect(uiohookKeycode('F24')).toBe(107);
    expect(uiohookKeycode('Pause')).toBe(3653);
    expect(uiohookKeycode('Up')).toBe(57416);
  });
  it('matches exactly the bound modifiers', () => {
    const b = toUiohookBinding('dial', 'Ctrl+Alt+Shift+D');
    if ('error' in b) throw new Error(b.error);
    const e = (mods: Partial<KeyEvent>) => ({ keycode: 32, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });
    expect(matchKeydown(e({ ctrlKey: true, altKey: true, shiftKey: true }), [b])).toBe('dial');
    expect(matchKeydown(e({ ctrlKey: true, altKey: true }), [b])).toBeUndefined();
    expect(matchKeydown(e({ ctrlKey: true, altKey: true, shiftKey: true, metaKey: true }), [b])).toBeUndefined();
    expect(matchKeydown({ ...e({ ctrlKey: true, altKey: true, shiftKey: true }), keycode: 25 }, [b])).toBeUndefined();
  });
});

describe('uiohook helper + backend (OS layer faked)', () => {
  it('reports a press once per key-down, however long it is held', async () => {
    const p = pair();
    const backend = await p.opened;
    const presses: HotkeyAction[] = [];
    backend.onPress((a) => presses.push(a));
    expect(await backend.bind([{ action: 'dial', combination: 'Ctrl+Alt+Shift+D' }, { action: 'show', combination: null }])).toEqual([
      { action: 'dial', combination: 'Ctrl+Alt+Shift+D', state: 'listening' },
      { action: 'show', combination: null, state: 'unbound' },
    ]);
    const mods = { ctrlKey: true, altKey: true, shiftKey: true };
    for (let i = 0; i < 5; i++) p.hook.emit('keydown', 32, mods);
    p.hook.emit('keyup', 32, mods);
    p.hook.emit('keydown', 32, mods);
    p.hook.emit('keydown', 25, mods);
    await new Promise((r) => setTimeout(r, 10));
    expect(presses).toEqual(['dial', 'dial']);
  });

  it('copies after the modifiers are released, reads the selection and restores the clipboard', async () => {
    const p = pair('win32');
    const backend = await p.opened;
    await backend.bind([{ action: 'dial', combination: 'Ctrl+Alt+Shift+D' }]);
    for (const k of [MODIFIER_KEYCODES.Ctrl[0], MODIFIER_KEYCODES.Alt[0], MODIFIER_KEYCODES.Shift[0]]) p.hook.emit('keydown', k);
    const reading = backend.readSelection();
    await new Promise((r) => setTimeout(r, 30));
    // Still held: no Ctrl+C yet (it would become Ctrl+Alt+Shift+C).
    expect(p.hook.taps).toEqual([]);
    for (const k of [MODIFIER_KEYCODES.Ctrl[0], MODIFIER_KEYCODES.Alt[0], MODIFIER_KEYCODES.Shift[0]]) p.hook.emit('keyup', k);
    expect(await reading).toBe('02 6161 6161');
    expect(p.hook.taps).toEqual([{ key: KEY_C, modifiers: [MODIFIER_KEYCODES.Ctrl[0]] }]);
    expect(p.clipboard()).toBe('saved text');
    expect(p.writes).toEqual(['saved text']);
  });

  it('uses Cmd+C on a Mac', async () => {
    const p = pair('darwin');
    const backend = await p.opened;
    expect(await backend.readSelection()).toBe('02 6161 6161');
    expect(p.hook.taps).toEqual([{ key: KEY_C, modifiers: [MODIFIER_KEYCODES.Meta[0]] }]);
  });

  it('nothing highlighted: the clipboard text is the answer, and it is not rewritten', async () => {
    const p = pair();
    p.setSelection(undefined);
    const backend = await p.opened;
    expect(await backend.readSelection()).toBe('saved text');
    expect(p.writes).toEqual([]);
  });

  it('a hook that cannot start, or a helper that dies, is reported', async () => {
    const hook = new FakeHook();
    hook.startError = new Error('no accessibility permission');
    await expect(pair('darwin', hook).opened).rejects.toThrow(/did not start: no accessibility permission/);

    const p = pair();
    const backend = await p.opened;
    const lost = vi.fn();
    backend.onLost(lost);
    p.exit('SIGABRT');
    expect(lost).toHaveBeenCalledWith('the keyboard hook helper ended (SIGABRT)');
    await expect(backend.bind([{ action: 'dial', combination: 'Ctrl+Alt+D' }])).rejects.toThrow(/not running/);
  });

  it('a bind still waiting when the helper dies fails; it is never reported as listening', async () => {
    // A helper that starts, then never answers: the bind is in flight when it ends.
    const toParent: ((m: FromHelper) => void)[] = [];
    const exits: ((why: string) => void)[] = [];
    const sent: ToHelper[] = [];
    const opened = UiohookBackend.open({
      platform: 'win32',
      spawnHelper: () => {
        queueMicrotask(() => toParent.forEach((l) => l({ type: 'ready' })));
        return { send: (m) => void sent.push(m), onMessage: (l) => toParent.push(l), onExit: (l) => exits.push(l), kill: () => undefined };
      },
      clipboard: { read: async () => '', write: async () => undefined },
    });
    const backend = await opened;
    const bound = backend.bind([{ action: 'dial', combination: 'Ctrl+Alt+D' }]);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    exits.forEach((l) => l('SIGABRT'));
    await expect(bound).rejects.toThrow(/ended/);
  });
});

describe('copySelection', () => {
  const os = (reads: string[]): ClipboardOs & { written: string[] } => {
    const written: string[] = [];
    return {
      written,
      readClipboard: async () => (reads.length > 1 ? reads.shift()! : reads[0]!),
      writeClipboard: async (t) => void written.push(t),
      sendCopy: async () => undefined,
      sleep: async () => undefined,
    };
  };
  it('waits for the copy to land', async () => {
    const o = os(['old', 'old', 'old', '201']);
    expect(await copySelection(o)).toBe('201');
    expect(o.written).toEqual(['old']);
  });
  it('an empty clipboard stays empty and gives nothing', async () => {
    const o = os(['']);
    expect(await copySelection(o, { timeoutMs: 50, pollMs: 10 })).toBeUndefined();
    expect(o.written).toEqual([]);
  });
  it('a clipboard without text (an image) is not overwritten with nothing', async () => {
    const o = os(['', '0261616161']);
    expect(await copySelection(o)).toBe('0261616161');
    expect(o.written).toEqual([]);
  });
});
