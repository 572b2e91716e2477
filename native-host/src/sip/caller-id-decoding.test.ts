import { spawn } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallInfo, Execution } from '../../../shared/protocol';
import { integraSettingsSchema } from '../../../shared/settings/integra';
import { startIntegra, type Integra } from '../integra/integra';
import { CallManager } from './call-manager';
import { testCallManagerDeps } from './testing/call-manager-deps';
import { startRegistration, type RegistrationService } from './registration';
import { inviteText, startScriptedPbx, type ScriptedPbx } from './testing/scripted-pbx';
import { installWebRtcGlobals } from './webrtc-globals';

const log = pino({ level: 'silent' });

/**
 * Issue 12 items 2 and 3 through the real JsSIP user agent, our WebSocket transport, the call
 * manager and Integra: a scripted PBX sends caller ids the sandbox Kamailio would not relay (its
 * From user must be the authenticated one). Every call must be shown (a `ringing-in` change),
 * answered 180, and reach Integra; numbers that are not clean give empty placeholders.
 */
describe('caller ids that cannot be percent-decoded', { timeout: 30_000 }, () => {
  let pbx: ScriptedPbx;
  let registration: RegistrationService;
  let calls: CallManager;
  let integra: Integra;
  const changes: CallInfo[] = [];
  const spawned: string[][] = [];
  const executions = new Map<number, Execution>();

  beforeAll(async () => {
    installWebRtcGlobals(() => {
      throw new Error('no media in this test: calls only ring');
    });
    pbx = await startScriptedPbx();
    registration = startRegistration({ log, appVersion: 'test' });
    calls = new CallManager(
      testCallManagerDeps({
        log,
        ua: () => registration.ua(),
        isRegistered: () => registration.snapshot().state === 'registered',
      }),
    );
    const settings = integraSettingsSchema.parse({
      enabled: true,
      rules: [{ id: 'r', events: ['CALL_IN', 'CALL_CLOSE'], action: 'command', template: `'${process.execPath}' -e 0 !02 !05 n=!01 o=!06` }],
    });
    integra = startIntegra({
      log,
      platform: 'linux',
      settings: () => settings,
      aor: () => 'sip:1001@pbx.test',
      openInBrowser: () => Promise.reject(new Error('no browser in this test')),
      announce: (e) => executions.set(e.seq, e),
      runner: {
        spawnImpl: ((file: string, args: string[], options: object) => {
          spawned.push(args);
          return spawn(file, args, options);
        }) as never,
      },
    });
    calls.onSipFacts((f) => integra.onSipFacts(f));
    calls.onChange((c) => {
      changes.push(c);
      integra.onCall(c);
    });
    registration.onUa((ua) => calls.attach(ua));
    registration.setAccount({ wsUrls: [pbx.url], uri: 'sip:1001@pbx.test', password: 'x' });
    await pbx.registered;
    await until(() => registration.snapshot().state === 'registered', 'registered');
  });
  afterAll(async () => {
    integra?.stop();
    await registration?.stop();
    await pbx?.close();
  });

  async function until(pred: () => boolean, what: string, ms = 10_000) {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Rings, is cancelled; returns what the call manager reported and Integra's arguments. */
  async function ringAndCancel(callId: string, from: string, to?: string) {
    const { invite, cancel } = inviteText({ callId, from, ...(to ? { to } : {}) });
    pbx.send(invite);
    await pbx.waitFor((t) => t.startsWith('SIP/2.0 180') && t.includes(`Call-ID: ${callId}`));
    // The call manager reports the call (its id is the SIP Call-ID, which is safe here).
    await until(() => changes.some((c) => c.state === 'ringing-in' && c.id === callId), `ringing ${callId}`);
    const ringing = changes.find((c) => c.state === 'ringing-in' && c.id === callId)!;
    pbx.send(cancel);
    await pbx.waitFor((t) => t.startsWith('SIP/2.0 487') && t.includes(`Call-ID: ${callId}`));
    await until(() => changes.some((c) => c.id === ringing.id && c.state === 'ended'), `ended ${callId}`);
    await until(() => [...executions.values()].filter((e) => e.callId === ringing.id && e.result !== 'running').length === 2, `Integra ${callId}`);
    const args = spawned.filter((a) => a[3] === ringing.id);
    return { ringing, args: Object.fromEntries(args.map((a) => [a[2], a.slice(4)])) as Record<string, string[]> };
  }
  it("From user '0261616161%PATH%' (sent as %25PATH%25): shown, rings, Integra runs with an empty !01", async () => {
    const callId = 'path-percent';
    const { ringing, args } = await ringAndCancel(callId, '<sip:0261616161%25PATH%25@pbx.test>');
    expect(ringing.remote.number).toBe('0261616161%PATH%');
    expect(ringing.remote.uri).toBe('sip:0261616161%25PATH%25@pbx.test');
    expect(args.CALL_IN).toEqual(['n=', 'o=']);
    expect(args.CALL_CLOSE).toEqual(['n=', 'o=']);
  });

  it("escapes that are not UTF-8 (From '%FF', To '%C3%28') keep their raw text", async () => {
    const a = await ringAndCancel('bad-utf8-from', '"Mario %FF" <sip:0261616161%FF@pbx.test>');
    expect(a.ringing.remote).toMatchObject({ number: '0261616161%FF', name: 'Mario %FF', uri: 'sip:0261616161%25FF@pbx.test' });
    expect(a.args.CALL_IN).toEqual(['n=', 'o=']);
    const b = await ringAndCancel('bad-utf8-to', '<sip:0261616161@pbx.test>', '<sip:1001%C3%28@pbx.test>');
    expect(b.ringing.remote.number).toBe('0261616161');
    expect(b.args.CALL_IN).toEqual(['n=0261616161', 'o=0261616161']);
  });

  it("a NUL in the caller id (%00) empties the number for Integra instead of cutting it off", async () => {
    const { ringing, args } = await ringAndCancel('nul', '<sip:0261616161%00@pbx.test>');
    expect(ringing.remote.number).not.toBe('0261616161');
    expect(args.CALL_IN).toEqual(['n=', 'o=']);
    expect(args.CALL_CLOSE).toEqual(['n=', 'o=']);
  });

  it("a '%' that starts no escape, or a From JsSIP cannot parse: still shown (as received, or as an unknown caller)", async () => {
    const a = await ringAndCancel('lone-percent', '<sip:0261616161%zz@pbx.test>');
    expect(a.ringing.remote).toMatchObject({ number: '0261616161%zz', uri: 'sip:0261616161%25zz@pbx.test' });
    expect(a.args.CALL_IN).toEqual(['n=', 'o=']);
    const b = await ringAndCancel('unparsable', '"Mario" <sip:02"61[61@pbx.test>');
    expect(b.ringing.remote.number).toBe('');
    expect(b.ringing.remote.name).toBeUndefined();
    expect(b.args.CALL_IN).toEqual(['n=', 'o=']);
  });

  it('a clean caller id still gives its number', async () => {
    const { ringing, args } = await ringAndCancel('clean', '"Mario Rossi" <sip:%2B390261616161@pbx.test>');
    expect(ringing.remote).toMatchObject({ number: '+390261616161', name: 'Mario Rossi', uri: 'sip:+390261616161@pbx.test' });
    expect(args.CALL_IN).toEqual(['n=+390261616161', 'o=+390261616161']);
  });
});
