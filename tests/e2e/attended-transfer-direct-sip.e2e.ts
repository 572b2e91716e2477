import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/protocol/account';
import type { CallInfo } from '../../shared/protocol';
import { startSandbox, stopSandbox, type SandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { baresipCommand } from '../support/baresip-ctrl';
import { fakeMediaEngine } from '../support/fake-media';
import { spawnHost, type HostProcess } from '../support/host-process';
import { tempDir } from '../support/temp';

/**
 * The attended transfer's signalling over direct SIP (UDP, no WebSocket): the same code as over
 * WebSocket (issue 17: no transport-specific branches), against the real sandbox Kamailio and the
 * baresip caller 2001 and target 3001. Media is the gateway's job (faked here, as in direct-sip.e2e.ts).
 */
describe('attended transfer over direct SIP (UDP)', { timeout: 60_000 }, () => {
  const dir = tempDir('at-dsip');
  const home = join(dir.path, 'home');
  let sandbox: SandboxStatus;
  let host: HostProcess;
  const callEvent = (pred: (c: CallInfo) => boolean, what: string, ms = 15_000) =>
    host.frames.waitFor<{ data: CallInfo }>((m) => m?.event === 'call' && pred(m.data), ms, what).then((m) => m.data);

  beforeAll(async () => {
    sandbox = await startSandbox({ dir: join(home, 'sandbox') });
    const account: Account = { ...sandbox.account, wsUrls: [`sip:127.0.0.1:${sandbox.ports.kamailioUdp};transport=udp`] };
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account }));
    host = spawnHost(home);
    // A direct-SIP account's calls go through the media gateway, which asks the browser for a WebRTC offer.
    fakeMediaEngine(host, 40000, { webrtc: true });
    await host.hello();
    await host.frames.waitFor<{ data: { state: string } }>((m) => m?.event === 'registration' && m.data.state === 'registered', 15_000, 'registered over UDP');
  });
  afterAll(async () => {
    host?.child.kill('SIGKILL');
    await stopSandbox(join(home, 'sandbox'));
    if (!process.env.KEEP_RIG) dir.remove();
  });

  it('2001 calls; consult 3001; complete: REFER with Replaces over UDP, 2001 reaches 3001, our calls end', async () => {
    await baresipCommand(sandbox.users['2001'].ctrl!, 'dial', `sip:1001@${sandbox.domain}`);
    const ringing = await callEvent((c) => c.state === 'ringing-in', 'ringing-in');
    await host.request('call.answer', { id: ringing.id });
    await callEvent((c) => c.id === ringing.id && c.state === 'active', 'answered');

    const consulted = (await host.request('call.consult', { target: '3001', source: 'cli' })) as { result: { call: CallInfo } };
    expect(consulted.result.call).toMatchObject({ id: ringing.id, transfer: { target: '3001', phase: 'consulting' } });
    const consult = await callEvent((c) => c.consultFor === ringing.id && c.state === 'active', 'the target answered');
    await callEvent((c) => c.id === ringing.id && c.state === 'held' && c.transfer?.phase === 'talking', 'caller held, talking to the target');

    const completed = (await host.request('call.transferComplete', {})) as { result: { call: CallInfo } };
    expect(completed.result.call.transfer?.phase).toBe('completing');
    const ended = await callEvent((c) => c.id === ringing.id && c.state === 'ended', "the caller's leg ended");
    expect(ended.transfer).toMatchObject({ target: '3001', phase: 'done' });
    await callEvent((c) => c.id === consult.id && c.state === 'ended', 'the consult leg ended');

    const klog = await readFile(join(home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(klog).toMatch(/REQ REFER sip:2001-\S+ from udp:127\.0\.0\.1:\d+$/m);
    expect(klog).toMatch(/FWD INVITE sip:3001@\S*Replaces=/);
    const caller = await readFile(join(home, 'sandbox', 'baresip-2001.log'), 'utf8');
    expect(caller).toMatch(/Call established: sip:3001@/);
    await baresipCommand(sandbox.users['3001'].ctrl!, 'hangup');
  });
});
