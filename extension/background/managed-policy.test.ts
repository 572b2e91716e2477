import { describe, expect, it, vi } from 'vitest';
import type { BackgroundContext } from './context';
import { managedPolicy } from './managed-policy';

const fake = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('webextension-polyfill', () => ({ default: fake }));

const flush = () => new Promise((r) => setTimeout(r, 0));

function start(managedGet: () => Promise<Record<string, unknown>>) {
  let changed: (changes: object, area: string) => void = () => undefined;
  Object.assign(fake, {
    storage: { managed: { get: managedGet }, onChanged: { addListener: (l: typeof changed) => (changed = l) } },
  });
  let stateListener: (s: { status: string }) => void = () => undefined;
  const native = {
    state: { status: 'connecting' },
    onState: (l: typeof stateListener) => (stateListener = l),
    request: vi.fn(async () => ({ applied: [], refused: [], settings: {} })),
  };
  managedPolicy.start({ native: native as never, store: {} as never } as BackgroundContext);
  return {
    native,
    connect() {
      native.state = { status: 'connected' };
      stateListener(native.state);
    },
    change: (area: string) => changed({}, area),
  };
}

describe('the managed policy goes to the host whole', () => {
  it('on every connection, and again when the managed area changes (not the local one)', async () => {
    let policy: Record<string, unknown> = { AccountUri: 'sip:201@pbx.example' };
    const t = start(async () => policy);
    t.change('managed'); // not connected yet: nothing to send to
    await flush();
    expect(t.native.request).not.toHaveBeenCalled();
    t.connect();
    await flush();
    expect(t.native.request).toHaveBeenLastCalledWith('settings.managed', { policy: { AccountUri: 'sip:201@pbx.example' } });
    policy = {};
    t.change('local');
    await flush();
    expect(t.native.request).toHaveBeenCalledTimes(1);
    t.change('managed');
    await flush();
    expect(t.native.request).toHaveBeenLastCalledWith('settings.managed', { policy: {} });
  });

  it('Firefox without a policy (storage.managed rejects) sends an empty policy, so an old one is lifted', async () => {
    const t = start(async () => {
      throw new Error('Managed storage manifest not found');
    });
    t.connect();
    await flush();
    expect(t.native.request).toHaveBeenCalledWith('settings.managed', { policy: {} });
  });
});
