import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ErrorCode, ProtocolError, type CallInfo, type Execution } from '../../../shared/protocol';
import { integraSettingsSchema, type IntegraSettings } from '../../../shared/settings/integra';
import { isInternal, startIntegra } from './integra';

const log = pino({ level: 'silent' });
const call = (over: Partial<CallInfo> = {}): CallInfo => ({
  id: 'c1',
  direction: 'in',
  state: 'ringing-in',
  remote: { number: '0261616161', uri: 'sip:0261616161@pbx.example' },
  muted: false,
  onHold: false,
  remoteHold: false,
  startedAt: 1000,
  ...over,
});

function rig(settings: Partial<IntegraSettings>, browser = true) {
  // The browser's side of the integra.open request: each ask waits here until the test answers it.
  const opened: { url: string; callId: string }[] = [];
  const answers: ((tab: 'created' | 'focused') => void)[] = [];
  const entries = new Map<number, Execution>();
  const integra = startIntegra({
    log,
    platform: 'linux',
    settings: () => integraSettingsSchema.parse({ enabled: true, ...settings }),
    aor: () => 'sip:1001@pbx.example',
    openInBrowser: (data, timeoutMs) => {
      if (!browser) return Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'no browser is connected'));
      opened.push(data);
      return new Promise((resolve, reject) => {
        answers.push((tab) => resolve({ tab }));
        setTimeout(() => reject(new ProtocolError(ErrorCode.TIMEOUT, 'no answer')), timeoutMs);
      });
    },
    announce: (e) => entries.set(e.seq, e),
    openTimeoutMs: 50,
  });
  return { integra, opened, answer: (i: number, tab: 'created' | 'focused') => answers[i]!(tab), entries: () => [...entries.values()] };
}

const urlRule = { id: 'crm', events: ['CALL_IN', 'CALL_ACCEPT'], action: 'url', template: 'https://crm.example/find?n=!01&id=!05&e=!02' };

describe('Integra on the host', () => {
  it('a URL rule asks the browser to open the page and records what became of it', async () => {
    const r = rig({ rules: [urlRule] as never });
    r.integra.onCall(call());
    expect(r.opened).toEqual([{ url: 'https://crm.example/find?n=0261616161&id=c1&e=CALL_IN', callId: 'c1', ruleId: 'crm', event: 'CALL_IN' }]);
    expect(r.entries()[0]).toMatchObject({ result: 'running', event: 'CALL_IN', callStartedAt: 1000 });
    r.answer(0, 'created');
    r.integra.onCall(call({ state: 'active', answeredAt: 2000 }));
    r.answer(1, 'focused');
    await new Promise((res) => setImmediate(res));
    expect(r.entries().map((e) => e.result)).toEqual(['opened', 'focused']);
    expect(r.integra.log().entries.map((e) => e.seq)).toEqual([2, 1]);
  });
  it("the browser is asked to open the page before the execution is announced (that push would queue ahead of it)", () => {
    const order: string[] = [];
    const integra = startIntegra({
      log,
      platform: 'linux',
      settings: () => integraSettingsSchema.parse({ enabled: true, rules: [urlRule] }),
      aor: () => 'sip:1001@pbx.example',
      openInBrowser: (data) => {
        order.push(`open ${data.event}`);
        return new Promise(() => undefined);
      },
      announce: (e) => order.push(`announce ${e.result}`),
    });
    integra.onCall(call());
    expect(order).toEqual(['open CALL_IN', 'announce running']);
  });
  it('no browser, or no answer in time: the execution shows an error', async () => {
    const none = rig({ rules: [urlRule] as never }, false);
    none.integra.onCall(call());
    await new Promise((res) => setImmediate(res));
    expect(none.entries()[0]).toMatchObject({ result: 'error', message: expect.stringMatching(/no browser/) });
    const slow = rig({ rules: [urlRule] as never });
    slow.integra.onCall(call());
    await new Promise((res) => setTimeout(res, 100));
    expect(slow.entries()[0]).toMatchObject({ result: 'error', message: expect.stringMatching(/in time/) });
  });
  it('disabled, disabled rules and other events run nothing', () => {
    const off = rig({ enabled: false, rules: [urlRule] as never });
    off.integra.onCall(call());
    const ruleOff = rig({ rules: [{ ...urlRule, enabled: false }] as never });
    ruleOff.integra.onCall(call());
    const other = rig({ rules: [{ ...urlRule, events: ['CALL_BUSY'] }] as never });
    other.integra.onCall(call());
    expect([...off.opened, ...ruleOff.opened, ...other.opened]).toEqual([]);
  });
  it('only external calls: extensions and named users of our domain are skipped', () => {
    const r = rig({ onlyExternal: true, rules: [urlRule] as never });
    r.integra.onCall(call({ id: 'a', remote: { number: '1002', uri: 'sip:1002@pbx.example' } }));
    r.integra.onCall(call({ id: 'b', remote: { number: 'alice', uri: 'sip:alice@pbx.example' } }));
    r.integra.onCall(call({ id: 'c' }));
    expect(r.opened.map((o) => o.callId)).toEqual(['c']);
    expect(isInternal(call({ remote: { number: 'alice', uri: 'sip:alice@other.example' } }), '^[0-9]{1,4}$', 'pbx.example')).toBe(false);
    expect(isInternal(call({ remote: { number: '55', uri: 'sip:55@x' } }), '^5', 'pbx.example')).toBe(true);
  });
  it('a rule that cannot run is listed with its reason', () => {
    const r = rig({ rules: [{ id: 'bad', events: ['CALL_IN'], action: 'command', template: '/bin/echo "unbalanced' }] as never });
    r.integra.onCall(call());
    expect(r.entries()[0]).toMatchObject({ result: 'error', message: 'unbalanced double quote', plan: { kind: 'error' } });
  });
  it('a command rule starts on the next turn, after what else the call change causes (the ringtone, the call push)', async () => {
    const r = rig({ rules: [{ id: 'run', events: ['CALL_IN'], action: 'command', template: '/bin/true !01' }] as never });
    r.integra.onCall(call());
    expect(r.entries()).toEqual([]);
    await new Promise((res) => setImmediate(res));
    expect(r.entries()[0]).toMatchObject({ result: 'running', event: 'CALL_IN', plan: { kind: 'command', program: '/bin/true' } });
  });
  it('Test shows what each matching rule would do, with sample values, running nothing', () => {
    const r = rig({ rules: [urlRule, { id: 'log', events: ['CALL_IN'], action: 'command', template: '/usr/bin/logger -t pbx !02 !01 !05' }] as never });
    const t = r.integra.test({ event: 'CALL_IN' });
    expect(t.values).toMatchObject({ '00': '1001', '01': '0261616161', '02': 'CALL_IN' });
    expect(t.plans.map((p) => p.plan.kind)).toEqual(['url', 'command']);
    expect(t.plans[1]!.plan).toMatchObject({ program: '/usr/bin/logger', args: ['-t', 'pbx', 'CALL_IN', '0261616161', t.values['05']] });
    expect(r.opened).toEqual([]);
    expect(r.entries()).toEqual([]);
  });
});
