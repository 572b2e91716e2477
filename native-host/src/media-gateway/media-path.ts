import { parseServer } from '../../../shared/sip-server/server-address';

/**
 * The PBX's SIP host for a plain-SIP account (the media path itself is decided by
 * `mediaPathFor` in sip/media-path.ts): its media most likely comes from there too, so the
 * local address toward it is the one written into the gateway's SDP before the PBX has answered.
 */
export function sipServerHost(account: { wsUrls: readonly string[] } | undefined): string | undefined {
  const first = account?.wsUrls[0];
  if (first === undefined) return undefined;
  const parsed = parseServer(first);
  return parsed.ok && parsed.server.kind === 'sip' ? parsed.server.host : undefined;
}
