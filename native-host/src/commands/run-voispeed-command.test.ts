import { describe, expect, it, vi } from 'vitest';
import { call as protocol } from '../../../shared/protocol';
import { parseVoispeedUrl } from '../../../shared/voispeed-url';
import type { SessionContext } from '../messaging/rpc-session';
import { runVoispeedCommand, type CallHandlers } from './run-voispeed-command';

const fakeCall = { id: 'c1', direction: 'out', state: 'dialing', remote: { number: '2001', uri: 'sip:2001@x' }, muted: false, onHold: false, remoteHold: false, startedAt: 0 } as const;

function handlers(): CallHandlers & { [K in keyof CallHandlers]: ReturnType<typeof vi.fn> } {
  return {
    'call.dial': vi.fn(async () => ({ call: fakeCall })),
    'call.hangup': vi.fn(() => ({ call: fakeCall })),
    'call.transfer': vi.fn(async () => ({ call: fakeCall })),
  } as never;
}
const ctx = {} as SessionContext;
/** What the CLI, the URL handler and the extension send: a parsed URL, as the protocol decodes it. */
const params = (url: string, source: 'url' | 'page') => protocol.runCommand.params.parse({ command: parseVoispeedUrl(url), source });

describe('voispeed.run: one execution of C, D and F', () => {
  it('C dials through call.dial with the source and the external id', async () => {
    const h = handlers();
    await expect(runVoispeedCommand(params('voispeed:C0261616161,CRM-7', 'url'), ctx, h)).resolves.toEqual({ call: fakeCall });
    expect(h['call.dial']).toHaveBeenCalledWith({ number: '0261616161', extId: 'CRM-7', source: 'url' }, ctx);
  });

  it('D hangs up that call or the first; F transfers that call or the first active one', async () => {
    const h = handlers();
    await runVoispeedCommand(params('voispeed:D', 'page'), ctx, h);
    await runVoispeedCommand(params('voispeed:Dabc@pbx', 'page'), ctx, h);
    await runVoispeedCommand(params('voispeed:F201,abc@pbx', 'page'), ctx, h);
    expect(h['call.hangup'].mock.calls.map((c) => c[0])).toEqual([{}, { id: 'abc@pbx' }]);
    expect(h['call.transfer']).toHaveBeenCalledWith({ target: '201', id: 'abc@pbx' }, ctx);
  });

  it('a refusal of the call handler (no browser, not started) is the command\'s refusal', async () => {
    const h = handlers();
    h['call.dial'].mockRejectedValueOnce(new Error('no browser'));
    await expect(runVoispeedCommand(params('voispeed:C2001', 'url'), ctx, h)).rejects.toThrow('no browser');
  });

  it('U is never executed: the method refuses it (it is only ever proposed, account.propose)', () => {
    const u = parseVoispeedUrl(`voispeed:Ualice@pbx.example,${'a'.repeat(32)},1001,wss://pbx.example/ws`);
    expect(u.kind).toBe('configure');
    expect(protocol.runCommand.params.safeParse({ command: u, source: 'url' }).success).toBe(false);
  });
});
