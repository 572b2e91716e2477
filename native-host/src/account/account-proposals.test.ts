import { describe, expect, it } from 'vitest';
import type { Account, AccountProposal } from '../../../shared/protocol/account';
import { ErrorCode, ProtocolError } from '../../../shared/protocol/errors';
import type { SwitchResult } from '../sip/registration';
import { AccountProposals, APPLY_TIMEOUT_MS, PROPOSAL_TTL_MS, type ConfigureRequest } from './account-proposals';

const OLD: Account = { wsUrls: ['wss://old.example/ws'], uri: 'sip:1001@old.example', password: 'secret', extension: '1001' };
const REQUEST: ConfigureRequest = {
  user: 'alice',
  domain: 'pbx.example',
  ha1: '0123456789ABCDEF0123456789abcdef',
  extension: '201',
  wsUrls: ['wss://pbx.example:8089/ws', 'wss://backup.example/ws'],
  source: 'url',
};

function rig(switchResult: SwitchResult = { ok: true, registration: { state: 'registered', since: 1 } }) {
  let t = 1000;
  let n = 0;
  const events: AccountProposal[] = [];
  const saved: Account[] = [];
  const tried: { account: Account; timeoutMs: number }[] = [];
  let calls = 0;
  const proposals = new AccountProposals({
    currentAccount: async () => OLD,
    trySwitch: async (account, timeoutMs) => {
      tried.push({ account, timeoutMs });
      return switchResult;
    },
    save: async (a) => void saved.push(a),
    callsInProgress: () => calls,
    changed: (p) => events.push(p),
    now: () => t,
    newId: () => (++n).toString(16).padStart(32, '0'),
    setTimer: () => ({}),
  });
  return { proposals, events, saved, tried, advance: (ms: number) => (t += ms), setCalls: (c: number) => (calls = c) };
}

const code = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return (err as ProtocolError).code;
  }
  return undefined;
};

describe('voispeed:U proposals on the host', () => {
  it('a proposal shows the current and the new account, never a whole HA1, and changes nothing', async () => {
    const r = rig();
    const p = await r.proposals.propose(REQUEST);
    expect(p).toMatchObject({
      state: 'pending',
      source: 'url',
      expiresAt: 1000 + PROPOSAL_TTL_MS,
      current: { user: '1001', domain: 'old.example', extension: '1001', servers: ['wss://old.example/ws'], credential: 'password' },
      next: { user: 'alice', domain: 'pbx.example', extension: '201', servers: REQUEST.wsUrls, credential: 'ha1', ha1Hint: '0123…' },
    });
    expect(JSON.stringify(p)).not.toMatch(/0123456789abcdef/i);
    expect(JSON.stringify(p)).not.toContain('secret');
    expect(r.events).toEqual([p]);
    expect(r.tried).toEqual([]);
    expect(r.saved).toEqual([]);
  });

  it('apply tries the account as HA1 + realm = domain with url2 as backup, then saves it; one shot', async () => {
    const r = rig();
    const p = await r.proposals.propose(REQUEST);
    const out = await r.proposals.apply(p.id);
    const expected: Account = { wsUrls: REQUEST.wsUrls, uri: 'sip:alice@pbx.example', ha1: '0123456789abcdef0123456789abcdef', realm: 'pbx.example', extension: '201' };
    expect(r.tried).toEqual([{ account: expected, timeoutMs: APPLY_TIMEOUT_MS }]);
    expect(r.saved).toEqual([expected]);
    expect(out.proposal.state).toBe('applied');
    expect(r.events.map((e) => e.state)).toEqual(['pending', 'applying', 'applied']);
    expect(await code(r.proposals.apply(p.id))).toBe(ErrorCode.PROPOSAL_NOT_FOUND);
    expect(r.tried).toHaveLength(1);
  });

  it('a failed registration saves nothing and says why; the proposal is used up', async () => {
    const r = rig({ ok: false, cause: 'Authentication Error' });
    const p = await r.proposals.propose(REQUEST);
    const err = await r.proposals.apply(p.id).catch((e: ProtocolError) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(ErrorCode.ACCOUNT_NOT_APPLIED);
    expect((err as ProtocolError).message).toMatch(/did not register \(Authentication Error\); the previous account is kept/);
    expect(r.saved).toEqual([]);
    expect(r.proposals.list()[0]).toMatchObject({ state: 'failed', message: 'Authentication Error' });
    expect(await code(r.proposals.apply(p.id))).toBe(ErrorCode.PROPOSAL_NOT_FOUND);
  });

  it('unknown ids, cancelled and expired proposals cannot be applied', async () => {
    const r = rig();
    expect(await code(r.proposals.apply('f'.repeat(32)))).toBe(ErrorCode.PROPOSAL_NOT_FOUND);
    const a = await r.proposals.propose(REQUEST);
    expect(r.proposals.cancel(a.id).state).toBe('cancelled');
    expect(await code(r.proposals.apply(a.id))).toBe(ErrorCode.PROPOSAL_NOT_FOUND);
    const b = await r.proposals.propose(REQUEST);
    r.advance(PROPOSAL_TTL_MS);
    expect(await code(r.proposals.apply(b.id))).toBe(ErrorCode.PROPOSAL_NOT_FOUND);
    expect(r.proposals.list().find((p) => p.id === b.id)?.state).toBe('expired');
    expect(r.tried).toEqual([]);
  });

  it('with a call up, apply refuses and keeps the proposal for later', async () => {
    const r = rig();
    const p = await r.proposals.propose(REQUEST);
    r.setCalls(1);
    expect(await code(r.proposals.apply(p.id))).toBe(ErrorCode.ACCOUNT_NOT_APPLIED);
    r.setCalls(0);
    expect((await r.proposals.apply(p.id)).proposal.state).toBe('applied');
  });

  it('fields are checked with the voispeed: grammar whoever sends them', async () => {
    const r = rig();
    for (const bad of [{ user: 'a b' }, { domain: '127.1' }, { wsUrls: ['wss://u:p@pbx.example/ws'] }, { extension: '12a' }]) {
      expect(await code(r.proposals.propose({ ...REQUEST, ...bad } as ConfigureRequest)), JSON.stringify(bad)).toBe(ErrorCode.INVALID_PARAMS);
    }
    expect(r.events).toEqual([]);
  });

  it('a burst of proposals is bounded', async () => {
    const r = rig();
    for (let i = 0; i < 30; i++) await r.proposals.propose(REQUEST);
    expect(r.proposals.list().length).toBeLessThanOrEqual(8);
  });
});
