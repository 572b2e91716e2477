import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { describe, expect, it, vi } from 'vitest';
import type { CallInfo, HotkeyStatus } from '../../../shared/protocol';
import { defaultHotkeys, type HotkeyAction } from '../../../shared/settings/hotkeys';
import type { BindingRequest, HotkeyBackend } from './backend';
import type { HotkeyEnvironment } from './environment';
import { HotkeyService, REPEAT_WINDOW_MS, type NotDialable } from './hotkey-service';

class FakeBackend implements HotkeyBackend {
  readonly kind = 'x11' as const;
  selection: string | undefined = 'tel. 02 6161 6161';
  bound: BindingRequest[][] = [];
  taken = new Set<string>();
  closed = false;
  press!: (a: HotkeyAction) => void;
  lose!: (m: string) => void;
  async bind(b: readonly BindingRequest[]) {
    this.bound.push([...b]);
    return b.map((x) =>
      x.combination === null
        ? { action: x.action, combination: null, state: 'unbound' as const }
        : { action: x.action, combination: x.combination, state: this.taken.has(x.combination) ? ('in-use' as const) : ('grabbed' as const) },
    );
  }
  onPress(l: (a: HotkeyAction) => void) {
    this.press = l;
  }
  onLost(l: (m: string) => void) {
    this.lose = l;
  }
  async readSelection() {
    return this.selection;
  }
  async close() {
    this.closed = true;
  }
}

function rig(environment: HotkeyEnvironment = { kind: 'x11', display: ':9' }, open?: () => Promise<HotkeyBackend>) {
  const backend = new FakeBackend();
  let now = 10_000;
  const statuses: HotkeyStatus[] = [];
  const shown: { reason: string; callId?: string }[] = [];
  const refused: NotDialable[] = [];
  const dialled: string[] = [];
  let failDial: Error | undefined;
  const service = new HotkeyService({
    log: { info: () => undefined, warn: () => undefined },
    environment,
    openBackend: open ?? (async () => backend),
    readSelectionWithoutBackend: async () => 'int. 201',
    defaultCountry: () => 'IT',
    dial: (number) => {
      if (failDial) throw failDial;
      dialled.push(number);
      return { id: `c${dialled.length}` } as CallInfo;
    },
    onStatus: (s) => statuses.push(s),
    showPhone: (reason, callId) => shown.push({ reason, ...(callId ? { callId } : {}) }),
    notDialable: (d) => refused.push(d),
    now: () => now,
  });
  return {
    service,
    backend,
    statuses,
    shown,
    refused,
    dialled,
    advance: (ms: number) => (now += ms),
    failDialWith: (e: Error) => (failDial = e),
  };
}

describe('HotkeyService', () => {
  it('grabs the configured combinations and reports them', async () => {
    const r = rig();
    await r.service.apply(defaultHotkeys());
    expect(r.backend.bound[0]).toEqual([
      { action: 'dial', combination: 'Ctrl+Alt+Shift+D' },
      { action: 'show', combination: 'Ctrl+Alt+Shift+P' },
    ]);
    expect(r.service.status).toMatchObject({ backend: 'x11', available: true, bindings: [{ state: 'grabbed' }, { state: 'grabbed' }] });
  });

  it('reports a combination another program holds as in use', async () => {
    const r = rig();
    r.backend.taken.add('Ctrl+Alt+Shift+P');
    await r.service.apply(defaultHotkeys());
    expect(r.service.status.bindings.map((b) => b.state)).toEqual(['grabbed', 'in-use']);
  });

  it('re-grabs when the settings change, and lets go when hotkeys are turned off', async () => {
    const r = rig();
    await r.service.apply(defaultHotkeys());
    await r.service.apply({ enabled: true, dial: 'Ctrl+Alt+K', show: null });
    expect(r.backend.bound[1]).toEqual([
      { action: 'dial', combination: 'Ctrl+Alt+K' },
      { action: 'show', combination: null },
    ]);
    await r.service.apply({ ...defaultHotkeys(), enabled: false });
    expect(r.backend.closed).toBe(true);
    expect(r.service.status).toMatchObject({ available: false, reason: 'disabled' });
  });

  it('dials the selected number once per press, within 1 s only once, and shows the phone', async () => {
    const r = rig();
    await r.service.apply(defaultHotkeys());
    r.backend.press('dial');
    await vi.waitFor(() => expect(r.dialled).toEqual(['+390261616161']));
    expect(r.shown).toEqual([{ reason: 'hotkey', callId: 'c1' }]);
    r.advance(300);
    expect(await r.service.trigger('dial', 'hotkey')).toEqual({ outcome: 'ignored' });
    // Held down (key repeat every 300 ms): still one call.
    r.advance(900);
    expect(await r.service.trigger('dial', 'hotkey')).toEqual({ outcome: 'ignored' });
    r.advance(REPEAT_WINDOW_MS);
    expect((await r.service.trigger('dial', 'hotkey')).outcome).toBe('dialled');
    expect(r.dialled).toHaveLength(2);
  });

  it('shows the phone window on the show hotkey, debounced on its own', async () => {
    const r = rig();
    await r.service.apply(defaultHotkeys());
    expect(await r.service.trigger('dial', 'hotkey')).toMatchObject({ outcome: 'dialled' });
    expect(await r.service.trigger('show', 'cli')).toEqual({ outcome: 'shown' });
    expect(await r.service.trigger('show', 'cli')).toEqual({ outcome: 'ignored' });
    expect(r.shown.map((s) => s.reason)).toEqual(['hotkey', 'cli']);
  });

  it('tells why nothing was dialled', async () => {
    const r = rig();
    await r.service.apply(defaultHotkeys());
    r.backend.selection = 'Mario Rossi';
    expect(await r.service.trigger('dial', 'hotkey')).toMatchObject({ outcome: 'not-dialable', excerpt: 'Mario Rossi' });
    r.advance(2000);
    r.backend.selection = undefined;
    expect(await r.service.trigger('dial', 'hotkey')).toMatchObject({ outcome: 'not-dialable' });
    r.advance(2000);
    r.backend.selection = '201';
    r.failDialWith(new Error('not registered'));
    expect(await r.service.trigger('dial', 'hotkey')).toMatchObject({ outcome: 'failed', reason: 'not registered' });
    expect(r.refused).toEqual([
      { excerpt: 'Mario Rossi', reason: 'not-a-number' },
      { excerpt: '', reason: 'no-selection' },
      { excerpt: '201', reason: 'dial-failed', message: 'not registered' },
    ]);
    expect(r.dialled).toEqual([]);
  });

  it('a call that started and failed is left to the failed-call notification (no second, English notice)', async () => {
    const r = rig();
    await r.service.apply(defaultHotkeys());
    r.backend.selection = '201';
    r.failDialWith(new ProtocolError(ErrorCode.CALL_FAILED, 'the call to 201 did not start: no microphone was found', { end: { originator: 'system', cause: 'No Microphone' } }));
    expect(await r.service.trigger('dial', 'hotkey')).toMatchObject({ outcome: 'failed', reason: 'the call to 201 did not start: no microphone was found' });
    expect(r.refused).toEqual([]);
  });

  it('keeps running without hotkeys when the X server cannot be reached, and says why', async () => {
    const r = rig({ kind: 'x11', display: ':99' }, () => Promise.reject(new Error('cannot open X display :99: connect ECONNREFUSED')));
    await r.service.apply(defaultHotkeys());
    expect(r.service.status).toMatchObject({ backend: 'x11', available: false, reason: 'x-server', message: expect.stringMatching(/ECONNREFUSED/) });
    // The CLI path still reads the selection its own way.
    r.advance(2000);
    expect(await r.service.trigger('dial', 'cli')).toMatchObject({ outcome: 'dialled' });
    expect(r.dialled).toEqual(['201']);
  });

  it('reports a lost X connection', async () => {
    const r = rig();
    await r.service.apply(defaultHotkeys());
    r.backend.lose('lost the connection to the X server on :9');
    expect(r.service.status).toMatchObject({ available: false, reason: 'x-server', message: 'lost the connection to the X server on :9' });
  });

  it('on Wayland holds nothing and says how to bind a desktop shortcut', async () => {
    const open = vi.fn();
    const r = rig({ kind: 'unavailable', reason: 'wayland', message: 'bind voispeed dial-selection' }, open);
    expect(r.service.status).toMatchObject({ available: false, reason: 'wayland' });
    await r.service.apply(defaultHotkeys());
    expect(open).not.toHaveBeenCalled();
    expect(r.statuses.at(-1)).toMatchObject({ available: false, reason: 'wayland', message: 'bind voispeed dial-selection' });
    expect(await r.service.trigger('dial', 'cli')).toMatchObject({ outcome: 'dialled' });
  });
});

describe('HotkeyService races', () => {
  it('a backend lost while binding stays reported lost', async () => {
    const r = rig();
    const bind = r.backend.bind.bind(r.backend);
    r.backend.bind = async (b) => {
      const out = await bind(b);
      r.backend.lose('lost the connection to the X server on :9');
      return out;
    };
    await r.service.apply(defaultHotkeys());
    expect(r.service.status).toMatchObject({ available: false, reason: 'x-server' });
  });
});
