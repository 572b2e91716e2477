/**
 * Which way a call's audio goes (DESIGN section 11): 'browser' — the browser's WebRTC talks to a
 * WebRTC-ready PBX (a ws:// or wss:// account); 'gateway' — a plain SIP PBX (a sip: or sips:
 * server), reached through the host's media gateway.
 */
export type MediaPath = 'browser' | 'gateway';

/**
 * The seam the direct-SIP transports share: decided by the account's server alone. Until the
 * account carries a separate SIP server setting, its first server string is read.
 */
export function mediaPathFor(account: { wsUrls?: readonly string[]; server?: string } | undefined): MediaPath {
  const server = account?.server ?? account?.wsUrls?.[0] ?? '';
  return /^sips?:/i.test(server.trim()) ? 'gateway' : 'browser';
}

/** The host part of a sip:/sips: server, where the PBX's media most likely is too (for the local address). */
export function sipServerHost(account: { wsUrls?: readonly string[]; server?: string } | undefined): string | undefined {
  const server = (account?.server ?? account?.wsUrls?.[0] ?? '').trim();
  const m = /^sips?:(?:[^@;?]*@)?(\[[0-9a-f:.]+\]|[A-Za-z0-9.-]{1,253})/i.exec(server);
  return m?.[1];
}
