import { randomBytes } from 'node:crypto';
import type { Account, AccountProposal, AccountView, ProposalSource } from '../../../shared/protocol/account';
import { ErrorCode, ProtocolError } from '../../../shared/protocol/errors';
import type { Registration } from '../../../shared/protocol/session';
import { formatVoispeedUrl, parseVoispeedUrl, VoispeedUrlError } from '../../../shared/voispeed-url';
import type { SwitchResult } from '../sip/registration';
import { domainOf, userOf } from '../sip/sip-uri';

/**
 * `voispeed:U` self-configuration on the host (DESIGN sections 6 and 8). A proposal is only data
 * until the user presses Apply on the extension's confirmation page: the host keeps it under an
 * unguessable one-shot id with an expiry, so neither a page nor a script can apply an account of
 * its own making. Apply tries the new account beside the old one and saves it only once it
 * registered; any failure leaves the old account registered and saved.
 */

export interface ConfigureRequest {
  user: string;
  domain: string;
  ha1: string;
  extension: string;
  wsUrls: string[];
  source: ProposalSource;
}

export interface ProposalDeps {
  /** The account saved now (settings), shown beside the new one. */
  currentAccount(): Promise<Account | undefined>;
  /** registration.trySwitch. */
  trySwitch(next: Account, timeoutMs: number): Promise<SwitchResult>;
  /** Saves the account section; must not restart the registration that trySwitch already made. */
  save(account: Account): Promise<void>;
  /** Calls in progress would be cut by a new user agent. */
  callsInProgress(): number;
  /** Every change of a proposal (the host pushes it to the browser). */
  changed(proposal: AccountProposal): void;
  now?: () => number;
  newId?: () => string;
  setTimer?: (fn: () => void, ms: number) => { unref?(): void };
}

/** Long enough to read an e-mail and find the browser; short enough that a stale link dies. */
export const PROPOSAL_TTL_MS = 5 * 60_000;
/** "server unreachable" and a silent PBX both end here. */
export const APPLY_TIMEOUT_MS = 10_000;
/** Finished proposals are kept a while so a page reloaded after Apply still shows the outcome. */
const KEEP_FINISHED_MS = 10 * 60_000;
const MAX_PROPOSALS = 8;

export function ha1Hint(ha1: string): string {
  return `${ha1.slice(0, 4).toLowerCase()}…`;
}

export function accountView(account: Account): AccountView {
  return {
    user: account.authUser ?? userOf(account.uri),
    domain: domainOf(account.uri),
    extension: account.extension ?? userOf(account.uri),
    servers: [...account.wsUrls],
    credential: account.ha1 ? 'ha1' : account.password !== undefined && account.password !== '' ? 'password' : 'none',
    ...(account.ha1 ? { ha1Hint: ha1Hint(account.ha1) } : {}),
  };
}

/** The account a U command describes: HA1 with realm = domain, url2 as the backup WebSocket. */
export function accountFromConfigure(c: { user: string; domain: string; ha1: string; extension: string; wsUrls: readonly string[] }): Account {
  return {
    wsUrls: [...c.wsUrls],
    uri: `sip:${c.user}@${c.domain}`,
    ha1: c.ha1.toLowerCase(),
    realm: c.domain,
    extension: c.extension,
  };
}

interface Entry {
  proposal: AccountProposal;
  account: Account;
}

export class AccountProposals {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly setTimer: (fn: () => void, ms: number) => { unref?(): void };

  constructor(private readonly deps: ProposalDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => randomBytes(16).toString('hex'));
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  }

  /**
   * Records a proposal. The fields go through the `voispeed:` grammar once more (format, then
   * parse), so whatever the client sent, the account is one a `voispeed:U` URL could describe.
   */
  async propose(request: ConfigureRequest): Promise<AccountProposal> {
    const account = accountFromConfigure(checkedFields(request));
    const current = await this.deps.currentAccount().catch(() => undefined);
    const t = this.now();
    const proposal: AccountProposal = {
      id: this.newId(),
      source: request.source,
      createdAt: t,
      expiresAt: t + PROPOSAL_TTL_MS,
      ...(current ? { current: accountView(current) } : {}),
      next: accountView(account),
      state: 'pending',
    };
    this.prune();
    this.entries.set(proposal.id, { proposal, account });
    this.setTimer(() => this.expire(proposal.id), PROPOSAL_TTL_MS + 10).unref?.();
    this.deps.changed(proposal);
    return proposal;
  }

  list(): AccountProposal[] {
    this.sweep();
    return [...this.entries.values()].map((e) => e.proposal);
  }

  cancel(id: string): AccountProposal {
    const entry = this.pending(id);
    return this.update(entry, { state: 'cancelled' });
  }

  /** One-shot: the proposal leaves the pending state before anything else happens. */
  async apply(id: string): Promise<{ proposal: AccountProposal; registration: Registration }> {
    const entry = this.pending(id);
    const calls = this.deps.callsInProgress();
    if (calls > 0) {
      // Not consumed: the user can end the call and press Apply again.
      throw new ProtocolError(ErrorCode.ACCOUNT_NOT_APPLIED, `${calls === 1 ? 'a call is' : `${calls} calls are`} in progress: end ${calls === 1 ? 'it' : 'them'} first, then apply the new account`);
    }
    this.update(entry, { state: 'applying' });
    const result = await this.deps.trySwitch(entry.account, APPLY_TIMEOUT_MS);
    if (!result.ok) {
      const proposal = this.update(entry, { state: 'failed', message: result.cause });
      throw new ProtocolError(ErrorCode.ACCOUNT_NOT_APPLIED, `the new account did not register (${result.cause}); the previous account is kept`, { proposal });
    }
    try {
      await this.deps.save(entry.account);
    } catch (err) {
      const proposal = this.update(entry, { state: 'failed', message: `registered, but could not be saved: ${(err as Error).message}` });
      throw new ProtocolError(ErrorCode.ACCOUNT_NOT_APPLIED, `the new account registered but could not be saved (${(err as Error).message})`, { proposal });
    }
    const proposal = this.update(entry, { state: 'applied', message: `Registered as ${entry.proposal.next.extension}` });
    return { proposal, registration: result.registration };
  }

  private pending(id: string): Entry {
    this.sweep();
    const entry = this.entries.get(id);
    if (!entry || entry.proposal.state !== 'pending') {
      const why = entry ? `it is ${entry.proposal.state}` : 'it does not exist';
      throw new ProtocolError(ErrorCode.PROPOSAL_NOT_FOUND, `this account change cannot be applied: ${why}`);
    }
    return entry;
  }

  private update(entry: Entry, change: Partial<AccountProposal>): AccountProposal {
    entry.proposal = { ...entry.proposal, ...change };
    this.deps.changed(entry.proposal);
    return entry.proposal;
  }

  private expire(id: string): void {
    const entry = this.entries.get(id);
    if (entry?.proposal.state === 'pending') this.update(entry, { state: 'expired' });
  }

  /** Pending ones past their time expire; finished ones are forgotten after a while. */
  private sweep(): void {
    const t = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.proposal.state === 'pending' && t >= entry.proposal.expiresAt) this.update(entry, { state: 'expired' });
      else if (entry.proposal.state !== 'pending' && entry.proposal.state !== 'applying' && t >= entry.proposal.expiresAt + KEEP_FINISHED_MS) this.entries.delete(id);
    }
  }

  /** A burst of links cannot grow the map: the oldest proposals make room (pending ones expire). */
  private prune(): void {
    this.sweep();
    while (this.entries.size >= MAX_PROPOSALS) {
      const [oldestId, oldest] = this.entries.entries().next().value as [string, Entry];
      if (oldest.proposal.state === 'pending') this.update(oldest, { state: 'expired' });
      this.entries.delete(oldestId);
    }
  }
}

function checkedFields(request: ConfigureRequest): ConfigureRequest {
  try {
    const [url1, url2] = request.wsUrls;
    const url = formatVoispeedUrl({
      kind: 'configure',
      user: request.user,
      domain: request.domain,
      ha1: request.ha1,
      extension: request.extension,
      wsUrls: url2 === undefined ? [url1 ?? ''] : [url1 ?? '', url2],
    });
    const parsed = parseVoispeedUrl(url);
    if (parsed.kind !== 'configure') throw new VoispeedUrlError('unknown-command', 'not a configuration');
    return { ...parsed, source: request.source };
  } catch (err) {
    if (err instanceof VoispeedUrlError) throw err.toProtocolError();
    throw err;
  }
}
