import JsSIP from 'jssip';
import type { UA } from 'jssip/lib/UA';
import type { Socket } from 'jssip/lib/Socket';
import type { Account } from '../../../shared/protocol/account';
import type { Registration } from '../../../shared/protocol/session';
import type { Logger } from '../log';
import { accountSummary, buildUaConfiguration } from './ua-config';
import { WsSocket } from './ws-socket';

export type RegistrationListener = (registration: Registration) => void;

export interface RegistrationService {
  snapshot(): Registration;
  /** Replaces the account (undefined: none) and registers with it. */
  setAccount(account: Account | undefined): void;
  register(): Registration;
  unregister(): Promise<Registration>;
  onChange(listener: RegistrationListener): () => void;
  /** The running JsSIP UA, for the call layer; undefined while stopped. */
  ua(): UA | undefined;
  /** Called with every user agent created, before it starts (the call layer attaches here). */
  onUa(listener: (ua: UA) => void): void;
  account(): Account | undefined;
  stop(): Promise<void>;
}

export interface RegistrationDeps {
  log: Logger;
  appVersion: string;
  now?: () => number;
}

/**
 * Owns the JsSIP user agent and turns its transport and registrar events into one registration
 * state that the rest of the host and the extension observe.
 */
export function startRegistration(deps: RegistrationDeps): RegistrationService {
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ module: 'sip' });
  const listeners = new Set<RegistrationListener>();
  const uaListeners: ((ua: UA) => void)[] = [];
  let account: Account | undefined;
  let ua: UA | undefined;
  let current: Registration = { state: 'unconfigured', since: now() };

  JsSIP.debug.disable();

  function set(state: Registration['state'], cause?: string): void {
    const next: Registration = {
      state,
      since: now(),
      ...(account ? { account: accountSummary(account) } : {}),
      ...(cause ? { cause } : {}),
    };
    if (current.state === next.state && current.cause === next.cause && current.account?.aor === next.account?.aor) {
      return;
    }
    current = next;
    log.info({ state, cause }, 'registration');
    for (const l of listeners) l(current);
  }

  function stopUa(): Promise<void> {
    const old = ua;
    ua = undefined;
    if (!old) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // ua.stop() un-REGISTERs first; do not wait forever for a PBX that is gone.
      const timer = setTimeout(resolve, 1500);
      old.removeAllListeners();
      old.on('disconnected', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        old.stop();
      } catch (err) {
        log.warn({ err }, 'stopping the user agent failed');
        clearTimeout(timer);
        resolve();
      }
    });
  }

  function startUa(): void {
    if (!account) {
      set('unconfigured');
      return;
    }
    let instance: UA;
    try {
      const sockets = account.wsUrls.map((url, i) => ({
        socket: new WsSocket(url) as unknown as Socket,
        weight: account!.wsUrls.length - i,
      }));
      instance = new JsSIP.UA(buildUaConfiguration(account, sockets, deps.appVersion));
    } catch (err) {
      set('failed', `Invalid account: ${(err as Error).message}`);
      return;
    }
    ua = instance;
    for (const l of uaListeners) l(instance);
    instance.on('connecting', () => {
      if (current.state !== 'registered') set('connecting');
    });
    instance.on('disconnected', (e) => {
      set('unregistered', e.error ? 'Connection Error' : 'Disconnected');
    });
    instance.on('registered', () => set('registered'));
    // JsSIP reports a lost transport as 'unregistered' too; the transport is the real reason.
    instance.on('unregistered', (e) =>
      set('unregistered', instance.isConnected() ? (e.cause ?? 'Unregistered') : 'Connection Error'),
    );
    instance.on('registrationFailed', (e) => set('failed', e.cause ?? 'Registration failed'));
    set('connecting');
    instance.start();
  }

  return {
    snapshot: () => current,
    setAccount(next) {
      const old = ua;
      account = next;
      ua = undefined;
      if (old) {
        old.removeAllListeners();
        old.stop();
      }
      startUa();
    },
    register() {
      if (!ua) startUa();
      else if (!ua.isRegistered()) ua.register();
      return current;
    },
    async unregister() {
      await stopUa();
      set(account ? 'unregistered' : 'unconfigured', account ? 'Unregistered by the user' : undefined);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ua: () => ua,
    onUa: (listener) => void uaListeners.push(listener),
    account: () => account,
    async stop() {
      await stopUa();
      listeners.clear();
    },
  };
}
