import { parseServer } from '../../../shared/sip-server/server-address';
import type { Account } from '../../../shared/protocol/account';

/**
 * Where a call's media goes (DESIGN section 11). `browser`: a WebSocket PBX terminates WebRTC
 * itself, the browser's RTCPeerConnection talks to its media relay. `gateway`: a plain SIP PBX
 * (UDP/TCP/TLS) speaks RTP only, so the host's media gateway (native-host/src/media-gateway/)
 * bridges the browser's WebRTC to it. The one seam between signalling and the media path.
 */
export type MediaPath = 'browser' | 'gateway';

/** The account's primary server is SIP over TLS (`sips:`, or `;transport=tls`). */
export function isTlsAccount(account: Pick<Account, 'wsUrls'> | undefined): boolean {
  const primary = account ? parseServer(account.wsUrls[0]) : undefined;
  return primary?.ok === true && primary.server.kind === 'sip' && (primary.server.secure || primary.server.transport === 'tls');
}

export function mediaPathFor(account: Pick<Account, 'wsUrls'>): MediaPath {
  const primary = parseServer(account.wsUrls[0]);
  return primary.ok && primary.server.kind === 'sip' ? 'gateway' : 'browser';
}
