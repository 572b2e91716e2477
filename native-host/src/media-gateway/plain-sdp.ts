import * as sdpTransform from 'sdp-transform';
import type { Codec, Choice } from './codecs';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One SDES key line (RFC 4568) as the gateway uses it: AES_CM_128_HMAC_SHA1_80 only. */
export interface SdesKey {
  tag: number;
  suite: 'AES_CM_128_HMAC_SHA1_80';
  /** 30 bytes: 16 of master key, 14 of master salt. */
  keySalt: Buffer;
}

/** What the gateway needs from a PBX's SDP: where its RTP goes, in what, and whether encrypted. */
export interface PlainMedia {
  address: string;
  port: number;
  /** RTCP's port: a=rtcp, else port + 1; equal to port with a=rtcp-mux. */
  rtcpPort: number;
  codecs: Codec[];
  direction: Direction;
  /** RTP/SAVP with a usable a=crypto line: the key the PBX sends with. */
  crypto?: SdesKey;
  /** The offer asked for SRTP (RTP/SAVP) but none of its keys is one the gateway can use. */
  unusableCrypto?: boolean;
  origin: { sessionId: string; version: number };
}

export class SdpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdpError';
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);
const SUITE = 'AES_CM_128_HMAC_SHA1_80';

function validPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535;
}

/** Reads the first a=crypto line the gateway can use; network text, so every step is checked. */
function readCrypto(lines: { id: number; suite: string; config: string }[] | undefined): SdesKey | undefined {
  for (const line of lines ?? []) {
    if (line.suite !== SUITE || !Number.isInteger(line.id) || line.id < 0 || line.id > 999_999_999) continue;
    // config: inline:<base64 key||salt>[|lifetime][|MKI:len]; an MKI is not supported.
    const m = /^inline:([A-Za-z0-9+/]{40})(?:\|(2\^\d{1,2}|\d{1,12}))?$/.exec(line.config.trim());
    if (!m) continue;
    const keySalt = Buffer.from(m[1]!, 'base64');
    if (keySalt.length === 30) return { tag: line.id, suite: SUITE, keySalt };
  }
  return undefined;
}

/**
 * The first audio section of a plain-SIP SDP (RTP/AVP or RTP/SAVP), read totally: anything a
 * PBX can send yields a PlainMedia or an SdpError naming what is wrong, never a throw of another kind.
 */
export function readPlainSdp(sdp: string): PlainMedia {
  if (typeof sdp !== 'string' || sdp.length > 64 * 1024) throw new SdpError('the SDP is missing or too long');
  let parsed: sdpTransform.SessionDescription;
  try {
    parsed = sdpTransform.parse(sdp);
  } catch (err) {
    throw new SdpError(`unreadable SDP: ${String((err as Error)?.message ?? err)}`);
  }
  const m = (parsed.media ?? []).find((x) => x.type === 'audio' && validPort(x.port) && x.port !== 0);
  if (!m) throw new SdpError('the SDP has no active audio stream');
  const protocol = String(m.protocol ?? '');
  if (protocol !== 'RTP/AVP' && protocol !== 'RTP/SAVP' && protocol !== 'RTP/AVPF' && protocol !== 'RTP/SAVPF') {
    throw new SdpError(`the SDP's audio uses ${protocol.slice(0, 40) || 'no profile'}, not RTP/AVP or RTP/SAVP`);
  }
  const address = (m.connection?.ip ?? parsed.connection?.ip ?? '').trim();
  const octets = IPV4.exec(address);
  if (!octets || octets.slice(1).some((o) => Number(o) > 255)) throw new SdpError(`the SDP's media address ${address.slice(0, 60) || '(none)'} is not an IPv4 address`);
  const rtpmaps = m.rtp ?? [];
  const fmtps = new Map((m.fmtp ?? []).map((f) => [f.payload, f.config]));
  const codecs: Codec[] = [];
  for (const token of String(m.payloads ?? '').split(/\s+/)) {
    if (!/^\d{1,3}$/.test(token)) continue;
    const pt = Number(token);
    if (pt > 127) continue;
    const map = rtpmaps.find((r) => r.payload === pt);
    const fmtp = fmtps.get(pt);
    const name = map?.codec ?? (pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : undefined);
    if (!name) continue;
    codecs.push({ pt, name, rate: map?.rate ?? 8000, ...(map?.encoding ? { channels: Number(map.encoding) } : {}), ...(fmtp ? { fmtp } : {}) });
  }
  const dir = m.direction ?? parsed.direction;
  const direction: Direction = dir && DIRECTIONS.has(dir) ? dir : 'sendrecv';
  const mux = m.rtcpMux !== undefined;
  const rtcpPort = mux ? m.port : validPort(m.rtcp?.port) ? m.rtcp!.port : m.port + 1;
  const secure = protocol.startsWith('RTP/SAVP');
  const crypto = secure ? readCrypto(m.crypto) : undefined;
  const version = Number(parsed.origin?.sessionVersion);
  return {
    address,
    port: m.port,
    rtcpPort,
    codecs,
    direction,
    ...(crypto ? { crypto } : {}),
    ...(secure && !crypto ? { unusableCrypto: true } : {}),
    origin: { sessionId: String(parsed.origin?.sessionId ?? '0'), version: Number.isFinite(version) ? version : 0 },
  };
}

export interface PlainSdpInit {
  sessionId: string;
  version: number;
  address: string;
  port: number;
  codecs: readonly Codec[];
  direction: Direction;
  crypto?: SdesKey;
}

/** The SDP the gateway shows the PBX: one audio stream of plain (or SDES-keyed) RTP at its own address. */
export function writePlainSdp(init: PlainSdpInit): string {
  const session: sdpTransform.SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: init.sessionId, sessionVersion: init.version, netType: 'IN', ipVer: 4, address: init.address },
    name: '-',
    connection: { version: 4, ip: init.address },
    timing: { start: 0, stop: 0 },
    media: [
      {
        type: 'audio',
        port: init.port,
        protocol: init.crypto ? 'RTP/SAVP' : 'RTP/AVP',
        payloads: init.codecs.map((c) => c.pt).join(' '),
        rtp: init.codecs.map((c) => ({ payload: c.pt, codec: c.name, rate: c.rate, ...(c.channels && c.channels > 1 ? { encoding: c.channels } : {}) })),
        fmtp: init.codecs.filter((c) => c.fmtp).map((c) => ({ payload: c.pt, config: c.fmtp! })),
        rtcp: { port: init.port + 1 },
        ptime: 20,
        direction: init.direction,
        ...(init.crypto ? { crypto: [{ id: init.crypto.tag, suite: init.crypto.suite, config: `inline:${init.crypto.keySalt.toString('base64')}` }] } : {}),
      },
    ],
  };
  return sdpTransform.write(session);
}

/** The codecs of a choice, audio first, as an SDP lists them. */
export function choiceCodecs(choice: Choice): Codec[] {
  return choice.event ? [choice.audio, choice.event] : [choice.audio];
}

/** The direction an answerer writes to an offer's direction (RFC 3264 section 6.1), given its own wish. */
export function answerDirection(offered: Direction): Direction {
  switch (offered) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    default:
      return offered;
  }
}
