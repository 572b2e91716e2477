import JsSIP from 'jssip';
import type { UA } from 'jssip/lib/UA';
import type { Socket } from 'jssip/lib/Socket';
import type { Account } from '../../../shared/protocol/account';
import type { Registration } from '../../../shared/protocol/session';
import type { Logger } from '../log';
import { makeJsSipDecodingTotal } from './jssip-total-decoding';
import { accountSummary, buildUaConfiguration } from './ua-config';
import { WsSocket } from './ws-socket';
import { parseServer } from '../../../shared/sip-server/server-address';
import { SipSocket } from './transport/sip-socket';
import { CAUSE_DNS, CAUSE_TLS_CERT, CAUSE_TLS_TIMEOUT } from './transport/stream-connect';
import { ErrorCode } from '../../../shared/protocol/errors';

/**
 * A direct-SIP socket's reason for a lost transport when it has an error code of its own ("TLS
 * Certificate Error: …"); other losses stay JsSIP's "Connection Error" (the socket logs the detail).
 */
function transportCause(e: { reason?: unknown }): string | undefined {
  return typeof e.reason === 'string' && transportCode(e.reason) !== undefined ? e.reason.slice(0, 300) : undefined;
}

/** Causes no retry can cure: the user must change the account or the PBX's certificate. */
function isUserFixable(cause: string | undefined): boolean {
  // A stalled handshake (CAUSE_TLS_TIMEOUT) is not here: a retry may well succeed.
  return cause !== undefined && [CAUSE_TLS_CERT, CAUSE_DNS].some((p) => cause.startsWith(p));
}

/** The error code clients decide on (never on the words): set here, where the cause is made. */
function transportCode(cause: string | undefined): number | undefined {
  if (cause?.startsWith(CAUSE_TLS_CERT)) return ErrorCode.TLS_CERTIFICATE;
  if (cause?.startsWith(CAUSE_DNS)) return ErrorCode.SERVER_NOT_FOUND;
  if (cause?.startsWith(CAUSE_TLS_TIMEOUT)) return ErrorCode.TLS_HANDSHAKE_TIMEOUT;
  return undefined;
}

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
  /**
   * Registers `next` on a second user agent while the current one stays up. Only once it is
   * registered does it replace the current account (whose user agent then un-registers); on a
   * failure or after `timeoutMs` it is dropped and nothing changed. A setAccount() meanwhile wins.
   */
  trySwitch(next: Account, timeoutMs: number): Promise<SwitchResult>;
  stop(): Promise<void>;
}

export type SwitchResult = { ok: true; registration: Registration } | { ok: false; cause: string };

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
  /** A trySwitch() in progress: how to abandon it. */
  let trial: ((cause: string) => void) | undefined;

  JsSIP.debug.disable();

  function set(state: Registration['state'], cause?: string): void {
    const code = transportCode(cause);
    const next: Registration = {
      state,
      since: now(),
      ...(account ? { account: accountSummary(account) } : {}),
      ...(cause ? { cause } : {}),
      ...(code !== undefined ? { code } : {}),
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

  /**
   * One socket per server, the primary first (highest weight); JsSIP moves to the next one when it
   * fails. A WebSocket URL gets ws-socket.ts, a SIP server transport/sip-socket.ts.
   */
  function createUa(of: Account): UA {
    // No caller id may make JsSIP's parser (or our description of a call) throw: once per process.
    makeJsSipDecodingTotal();
    const kinds = of.wsUrls.map((text) => {
      const parsed = parseServer(text);
      if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
      return parsed.server;
    });
    if (kinds.some((k) => k.kind !== kinds[0]!.kind)) {
      throw new Error('the backup server must be of the same kind as the first (both WebSocket URLs or both SIP servers)');
    }
    let created: UA | undefined;
    const sockets = kinds.map((server, i) => {
      const socket =
        server.kind === 'ws'
          ? new WsSocket(server.url)
          : new SipSocket({ server, text: of.wsUrls[i]!, log: deps.log, tlsCaFile: of.tlsCaFile });
      socket.onerror = (err, head) => log.warn({ err, head }, 'a SIP message could not be handled; dropped');
      if (socket instanceof SipSocket) {
        // Behind a NAT the first REGISTER told us our public address: register again with a reachable Contact.
        // The socket writes the new Contact into every later message; after the response that told us
        // (JsSIP ignores register() while its REGISTER is in progress) the binding is refreshed.
        socket.onpublicaddress = () =>
          setImmediate(() => {
            if (created?.isConnected()) created.register();
          });
      }
      return { socket: socket as unknown as Socket, weight: of.wsUrls.length - i };
    });
    created = new JsSIP.UA(buildUaConfiguration(of, sockets, deps.appVersion));
    return created;
  }

  function startUa(): void {
    if (!account) {
      set('unconfigured');
      return;
    }
    let instance: UA;
    try {
      instance = createUa(account);
    } catch (err) {
      set('failed', `Invalid account: ${(err as Error).message}`);
      return;
    }
    ua = instance;
    for (const l of uaListeners) l(instance);
    watch(instance);
    set('connecting');
    instance.start();
  }

  /** Turns one user agent's events into the registration state. */
  function watch(instance: UA): void {
    instance.on('connecting', () => {
      // A certificate the user must fix stays on screen while JsSIP keeps retrying.
      if (current.state !== 'registered' && !(current.state === 'failed' && isUserFixable(current.cause))) set('connecting');
    });
    instance.on('disconnected', (e) => {
      const cause = transportCause(e);
      if (isUserFixable(cause)) set('failed', cause);
      else set('unregistered', cause ?? (e.error ? 'Connection Error' : 'Disconnected'));
    });
    instance.on('registered', () => set('registered'));
    // JsSIP reports a lost transport as 'unregistered' too; the transport is the real reason.
    instance.on('unregistered', (e) =>
      set('unregistered', instance.isConnected() ? (e.cause ?? 'Unregistered') : 'Connection Error'),
    );
    instance.on('registrationFailed', (e) => set('failed', e.cause ?? 'Registration failed'));
  }

  function trySwitch(next: Account, timeoutMs: number): Promise<SwitchResult> {
    trial?.('Replaced by another account change');
    let candidate: UA;
    try {
      candidate = createUa(next);
    } catch (err) {
      return Promise.resolve({ ok: false, cause: `Invalid account: ${(err as Error).message}` });
    }
    return new Promise<SwitchResult>((resolve) => {
      let failures = 0;
      const finish = (result: SwitchResult) => {
        clearTimeout(timer);
        trial = undefined;
        resolve(result);
      };
      const drop = (cause: string) => {
        candidate.removeAllListeners();
        try {
          candidate.stop();
        } catch (err) {
          log.warn({ err }, 'stopping the trial user agent failed');
        }
        log.info({ cause }, 'new account not taken');
        finish({ ok: false, cause });
      };
      const timer = setTimeout(() => drop(`No registration within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
      trial = drop;
      candidate.on('registrationFailed', (e) => drop(e.cause ?? 'Registration failed'));
      // Each WebSocket tried once and none answered: the server is unreachable (JsSIP would retry forever).
      candidate.on('disconnected', (e) => {
        if (!e.error) return;
        failures += 1;
        const cause = transportCause(e);
        if (isUserFixable(cause)) drop(cause!);
        else if (failures >= next.wsUrls.length) drop(`Connection Error: cannot reach ${next.wsUrls.join(' or ')}`);
      });
      candidate.on('registered', () => {
        candidate.removeAllListeners();
        const old = ua;
        if (old) {
          old.removeAllListeners();
          try {
            old.stop();
          } catch (err) {
            log.warn({ err }, 'stopping the previous user agent failed');
          }
        }
        account = next;
        ua = candidate;
        for (const l of uaListeners) l(candidate);
        watch(candidate);
        set('registered');
        finish({ ok: true, registration: current });
      });
      candidate.start();
    });
  }

  return {
    snapshot: () => current,
    setAccount(next) {
      trial?.('Replaced by another account change');
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
    trySwitch,
    async stop() {
      trial?.('Stopped');
      await stopUa();
      listeners.clear();
    },
  };
}
