import type { IncomingRequest } from 'jssip/lib/SIPMessage';
import type { UA } from 'jssip/lib/UA';
import type { CallInfo, ContactMatch, DialSource } from '../../../shared/protocol';
import type { DialFormat } from '../../../shared/phone/dial-string';
import type { Logger } from '../log';

/** What the call manager needs from the host around it (sip-capability.ts builds it). */
export interface CallManagerDeps {
  log: Logger;
  /** The running user agent, or undefined when not configured/started. */
  ua(): UA | undefined;
  isRegistered(): boolean;
  /** The account's AOR, for building dial URIs. */
  aor(): string | undefined;
  dialFormat(): DialFormat;
  iceServers(): { urls: string | string[]; username?: string; credential?: string }[];
  /** Ringtone on/off in the browser. */
  ring(on: boolean): void;
  /** Do-not-disturb: incoming calls are rejected as busy (486) without ringing. */
  dnd?(): boolean;
  /** Media-gateway accounts: why an incoming offer can never be bridged (488 before it rings), or undefined. */
  screenOffer?(sdp: string | undefined): string | undefined;
  autoAnswer?(invite: IncomingRequest, others: CallInfo[]): { autoAnswerAfterMs?: number } | undefined; // intercom: sip-capability.ts
  /** Who a number is in the local contacts (synchronous: the first event of a call already names it). */
  contactOf?(number: string): ContactMatch | undefined;
  now?: () => number;
}

export interface DialOptions {
  number: string;
  extId?: string;
  source: DialSource;
  extraHeaders?: readonly string[]; // whole lines the caller built and checked (a pick-up's Replaces)
}
