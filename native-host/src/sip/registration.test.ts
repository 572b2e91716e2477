import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../../shared/protocol/account';

/** A stand-in for JsSIP's UA: the test decides when it registers, fails or loses its socket. */
class FakeUa extends EventEmitter {
  static made: FakeUa[] = [];
  started = false;
  stopped = false;
  constructor(readonly config: { uri: string; ha1?: string; realm?: string; sockets: { weight: number; socket: { url: string } }[] }) {
    super();
    FakeUa.made.push(this);
  }
  start() {
    this.started = true;
  }
  stop() {
    this.stopped = true;
  }
  isConnected() {
    return true;
  }
  isRegistered() {
    return false;
  }
  register() {}
}

vi.mock('jssip', () => ({ default: { UA: FakeUa, debug: { disable: () => undefined } } }));

const { startRegistration } = await import('./registration');

const log = { child: () => log, info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;
const OLD: Account = { wsUrls: ['ws://old.example/ws'], uri: 'sip:1001@old.example', password: 'pw' };
const NEW: Account = { wsUrls: ['ws://pbx.example/ws', 'ws://backup.example/ws'], uri: 'sip:1002@pbx.example', ha1: 'a'.repeat(32), realm: 'pbx.example' };

describe('registration.trySwitch: the old account stays until the new one registers', () => {
  beforeEach(() => {
    FakeUa.made = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  function registeredWithOld() {
    const reg = startRegistration({ log, appVersion: 't' });
    const attached: FakeUa[] = [];
    reg.onUa((ua) => attached.push(ua as unknown as FakeUa));
    reg.setAccount(OLD);
    const old = FakeUa.made[0]!;
    old.emit('registered', {});
    expect(reg.snapshot().state).toBe('registered');
    return { reg, old, attached };
  }

  it('success: a second user agent with HA1, realm and the backup socket; then it replaces the old one', async () => {
    const { reg, old, attached } = registeredWithOld();
    const result = reg.trySwitch(NEW, 10_000);
    const trial = FakeUa.made[1]!;
    expect(trial.started).toBe(true);
    expect(trial.config).toMatchObject({ uri: 'sip:1002@pbx.example', ha1: 'a'.repeat(32), realm: 'pbx.example' });
    expect(trial.config.sockets.map((s) => [s.socket.url, s.weight])).toEqual([
      ['ws://pbx.example/ws', 2],
      ['ws://backup.example/ws', 1],
    ]);
    // Meanwhile nothing changed for the rest of the host.
    expect(old.stopped).toBe(false);
    expect(reg.ua()).toBe(old as never);
    expect(reg.account()).toBe(OLD);
    trial.emit('registered', {});
    await expect(result).resolves.toMatchObject({ ok: true, registration: { state: 'registered', account: { aor: 'sip:1002@pbx.example' } } });
    expect(old.stopped).toBe(true);
    expect(reg.ua()).toBe(trial as never);
    expect(reg.account()).toBe(NEW);
    expect(attached).toEqual([old, trial]);
    // The new user agent drives the state from now on; the old one no longer does.
    old.emit('registrationFailed', { cause: 'x' });
    expect(reg.snapshot().state).toBe('registered');
    trial.emit('registrationFailed', { cause: 'Authentication Error' });
    expect(reg.snapshot()).toMatchObject({ state: 'failed', cause: 'Authentication Error' });
  });

  it('an auth failure drops the trial and leaves the old account registered', async () => {
    const { reg, old } = registeredWithOld();
    const result = reg.trySwitch(NEW, 10_000);
    FakeUa.made[1]!.emit('registrationFailed', { cause: 'Authentication Error' });
    await expect(result).resolves.toEqual({ ok: false, cause: 'Authentication Error' });
    expect(FakeUa.made[1]!.stopped).toBe(true);
    expect(old.stopped).toBe(false);
    expect(reg.account()).toBe(OLD);
    expect(reg.snapshot()).toMatchObject({ state: 'registered', account: { aor: 'sip:1001@old.example' } });
  });

  it('unreachable: fails once every WebSocket failed, not at the first (url2 is the fallback)', async () => {
    const { reg } = registeredWithOld();
    const result = reg.trySwitch(NEW, 10_000);
    const trial = FakeUa.made[1]!;
    let settled = false;
    void result.then(() => (settled = true));
    trial.emit('disconnected', { error: true });
    await Promise.resolve();
    expect(settled).toBe(false);
    trial.emit('disconnected', { error: true });
    await expect(result).resolves.toEqual({ ok: false, cause: 'Connection Error: cannot reach ws://pbx.example/ws or ws://backup.example/ws' });
  });

  it('no answer within the timeout: dropped, old account kept', async () => {
    const { reg, old } = registeredWithOld();
    const result = reg.trySwitch(NEW, 10_000);
    vi.advanceTimersByTime(10_000);
    await expect(result).resolves.toEqual({ ok: false, cause: 'No registration within 10 s' });
    expect(reg.ua()).toBe(old as never);
  });

  it('an account saved meanwhile wins over the trial', async () => {
    const { reg } = registeredWithOld();
    const result = reg.trySwitch(NEW, 10_000);
    reg.setAccount({ ...OLD, uri: 'sip:1003@old.example' });
    await expect(result).resolves.toMatchObject({ ok: false });
    expect(FakeUa.made[1]!.stopped).toBe(true);
    expect(reg.account()?.uri).toBe('sip:1003@old.example');
  });
});
