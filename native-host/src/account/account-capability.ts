import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import type { Capability } from '../capability';
import type { RpcSession } from '../messaging/rpc-session';
import type { SettingsService } from '../settings/settings-service';
import type { CallManager } from '../sip/call-manager';
import type { RegistrationService } from '../sip/registration';
import { accountFromConfigure, AccountProposals } from './account-proposals';

type AccountMethods = 'account.register' | 'account.unregister' | 'account.propose' | 'account.proposals' | 'account.apply' | 'account.cancel';

export interface AccountDeps {
  settings: SettingsService;
  registration: RegistrationService;
  calls: CallManager;
  /** The browser session that owns the UI; undefined between browsers. */
  browser(): RpcSession | undefined;
}

/**
 * The SIP account: register and unregister the saved one, re-register when it is saved, and the
 * voispeed:U proposals (account/account-proposals.ts) a user confirms in the browser.
 */
export function startAccount(deps: AccountDeps): Capability<AccountMethods> {
  const { settings, registration } = deps;
  const loadAccount = async () => (await settings.load()).account;
  // The account an applied voispeed:U proposal saves is already registered: saving it must not restart it.
  let adopted: string | undefined;
  const proposals = new AccountProposals({
    currentAccount: loadAccount,
    trySwitch: (next, ms) => registration.trySwitch(next, ms),
    save: async (account) => {
      adopted = JSON.stringify(account);
      try {
        await settings.set('account', account);
      } finally {
        adopted = undefined;
      }
    },
    callsInProgress: () => deps.calls.list().filter((c) => c.state !== 'ended').length,
    changed: (proposal) => deps.browser()?.push('account.proposal', proposal),
  });
  const off = settings.onChange((next, changed) => {
    if (changed === 'account' && !(adopted !== undefined && JSON.stringify(next.account) === adopted)) registration.setAccount(next.account);
  });
  return {
    events: ['account.proposal'],
    handlers: {
      'account.register': async () => {
        const account = await loadAccount();
        if (!account) throw new ProtocolError(ErrorCode.NO_ACCOUNT, 'no SIP account is configured');
        registration.setAccount(account);
        return registration.snapshot();
      },
      'account.unregister': () => registration.unregister(),
      // Proposals come from the CLI or a page link; only the browser that owns the UI may apply
      // or cancel one, after the user confirmed it there.
      'account.propose': async (p) => {
        // An administrator's account is not the user's to replace, not even with confirmation.
        settings.assertUnlocked('account', accountFromConfigure(p));
        if (!deps.browser()) throw new ProtocolError(ErrorCode.DISCONNECTED, 'no browser with the VOIspeed extension is connected to confirm the new account');
        return { proposal: await proposals.propose(p) };
      },
      'account.proposals': () => ({ proposals: proposals.list() }),
      'account.apply': (p, ctx) => {
        if (ctx !== deps.browser()) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'a new account is applied only from the confirmation page in the browser');
        return proposals.apply(p.id);
      },
      'account.cancel': (p, ctx) => {
        if (ctx !== deps.browser()) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'a new account is cancelled only from the confirmation page in the browser');
        return { proposal: proposals.cancel(p.id) };
      },
    },
    stop: () => void off(),
  };
}
