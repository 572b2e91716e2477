import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { BotUser } from './users';

export const LOOPBACK = '127.0.0.1';

export interface PortRange {
  min: number;
  max: number;
}

export interface BotPorts {
  /** baresip's own SIP port: UDP and TCP, plus TLS on sip + 1 (TCP, no certificate). */
  sip: number;
  /** baresip ctrl_tcp (JSON netstrings): tests make the bot dial, hang up, send DTMF. */
  ctrl: number;
  rtp: PortRange;
}

/** Every port one sandbox listens on, all bound to 127.0.0.1 only. */
export interface SandboxPorts {
  /** Kamailio SIP over UDP: the bots and test UACs such as sipp. */
  kamailioUdp: number;
  /** Kamailio TCP: SIP over WebSocket (path /ws, / also accepted) and plain SIP over TCP. */
  kamailioWs: number;
  /**
   * Kamailio's trunk side (UDP and TCP, same number), as a carrier would reach a PBX: INVITEs from
   * 127.0.0.1 with any caller id, without credentials, routed like any other call.
   */
  kamailioTrunk: number;
  /** rtpengine ng control protocol (UDP); only Kamailio talks to it. */
  rtpengineNg: number;
  rtpengineRtp: PortRange;
  baresip: Record<BotUser, BotPorts>;
}

/**
 * Every port of a classic-profile sandbox (`sandbox start --classic`): plain SIP on UDP, TCP and
 * TLS, no WebSocket and no rtpengine (the bots' RTP goes straight to the caller).
 */
export interface ClassicPorts {
  kamailioUdp: number;
  /** Kamailio SIP over TCP. */
  kamailioTcp: number;
  /** Kamailio SIP over TLS, certificate signed by the sandbox CA (tls/ca.pem). */
  kamailioTls: number;
  /** A second TLS listener whose certificate is self-signed: a verifying client must refuse it. */
  kamailioTlsUntrusted: number;
  kamailioTrunk: number;
  baresip: Record<BotUser, BotPorts>;
}

/**
 * The media block of one sandbox: rtpengine first, then one slice per bot. Small on purpose, so
 * many sandboxes fit side by side; rtpengine needs up to 4 ports per call (2 legs × RTP+RTCP).
 */
export const RTPENGINE_SPAN = 80;
export const BOT_RTP_SPAN = 20;
export const MEDIA_BLOCK = RTPENGINE_SPAN + 2 * BOT_RTP_SPAN;
/** The classic profile has no rtpengine: its media block is the bots' slices only. */
export const CLASSIC_MEDIA_BLOCK = 2 * BOT_RTP_SPAN;

type Proto = 'tcp' | 'udp';

/** True when `port` can be bound on 127.0.0.1 right now. */
export function canBind(proto: Proto, port: number, host = LOOPBACK): Promise<boolean> {
  return bindOnce(proto, port, host).then(
    () => true,
    () => false,
  );
}

/** Lets the kernel pick a free port (bind to 0), then releases it for the process that needs it. */
export function freePort(proto: Proto, host = LOOPBACK): Promise<number> {
  return bindOnce(proto, 0, host);
}

function bindOnce(proto: Proto, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    if (proto === 'tcp') {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port, host, exclusive: true }, () => {
        const addr = server.address();
        const got = typeof addr === 'object' && addr ? addr.port : port;
        server.close(() => resolve(got));
      });
    } else {
      const sock = createSocket({ type: 'udp4', reuseAddr: false });
      sock.once('error', (err) => {
        sock.close();
        reject(err);
      });
      sock.bind({ port, address: host, exclusive: true }, () => {
        const got = sock.address().port;
        sock.close(() => resolve(got));
      });
    }
  });
}

/**
 * Where media blocks may start: below the kernel's ephemeral range, so a port handed out by
 * "bind to 0" (ours or anybody's outgoing connection) never lands inside a sandbox's RTP range.
 */
export async function mediaWindow(): Promise<PortRange> {
  let ephemeralMin = 32768;
  try {
    const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const first = Number.parseInt(text.trim().split(/\s+/)[0] ?? '', 10);
    if (Number.isFinite(first) && first > 12000) ephemeralMin = first;
  } catch {
    // Not Linux: keep the IANA default.
  }
  return { min: 10000, max: ephemeralMin - 1 };
}

/** Splits a media block that starts at `base` (even: rtpengine pairs RTP/RTCP from even ports). */
export function layoutMedia(base: number): { rtpengine: PortRange; bots: Record<BotUser, PortRange> } {
  return {
    rtpengine: { min: base, max: base + RTPENGINE_SPAN - 1 },
    bots: {
      '2001': { min: base + RTPENGINE_SPAN, max: base + RTPENGINE_SPAN + BOT_RTP_SPAN - 1 },
      '3001': { min: base + RTPENGINE_SPAN + BOT_RTP_SPAN, max: base + MEDIA_BLOCK - 1 },
    },
  };
}

/** The bots' slices of a classic media block that starts at `base` (even). */
export function layoutClassicMedia(base: number): Record<BotUser, PortRange> {
  return {
    '2001': { min: base, max: base + BOT_RTP_SPAN - 1 },
    '3001': { min: base + BOT_RTP_SPAN, max: base + CLASSIC_MEDIA_BLOCK - 1 },
  };
}

export interface AllocateOptions<P = SandboxPorts> {
  /** Ports of an earlier run: reused when all still free, so saved ws URLs stay valid. */
  previous?: P;
  /** Injected in tests. */
  random?: () => number;
  window?: PortRange;
  /** The address the sandbox binds (classic profile, `--address`); 127.0.0.1 by default. */
  host?: string;
  /**
   * Records a media range for this sandbox; false when another sandbox owns part of it. Media ports
   * are bound only during calls, so a probe alone cannot see that (see media-claims.ts).
   */
  claim?: Claim;
}

type Claim = (range: PortRange) => Promise<boolean>;

/**
 * Finds every port a sandbox needs. Signalling ports come from the kernel (bind to 0); the media
 * block is a random even base, checked port by port, so two sandboxes get disjoint ranges.
 */
export async function allocatePorts(opts: AllocateOptions = {}): Promise<SandboxPorts> {
  if (opts.previous && (await reusable(listeningPorts(opts.previous), mediaRanges(opts.previous), LOOPBACK, opts.claim))) return opts.previous;
  const taken = new Set<number>();
  const pick = picker(taken, LOOPBACK);
  const kamailioUdp = await pick('udp');
  const kamailioWs = await pick('tcp');
  const kamailioTrunk = await pick('udp+tcp');
  const rtpengineNg = await pick('udp');
  const bots = await pickBots(pick);
  const base = await findMediaBase(opts.window ?? (await mediaWindow()), opts.random ?? Math.random, taken, MEDIA_BLOCK, LOOPBACK, opts.claim);
  const media = layoutMedia(base);
  return {
    kamailioUdp,
    kamailioWs,
    kamailioTrunk,
    rtpengineNg,
    rtpengineRtp: media.rtpengine,
    baresip: {
      '2001': { ...bots['2001'], rtp: media.bots['2001'] },
      '3001': { ...bots['3001'], rtp: media.bots['3001'] },
    },
  };
}

/** The same for the classic profile: UDP, TCP, two TLS listeners, the trunk, the bots. */
export async function allocateClassicPorts(opts: AllocateOptions<ClassicPorts> = {}): Promise<ClassicPorts> {
  const host = opts.host ?? LOOPBACK;
  if (opts.previous && (await reusable(classicListeningPorts(opts.previous), mediaRanges(opts.previous), host, opts.claim))) return opts.previous;
  const taken = new Set<number>();
  const pick = picker(taken, host);
  const kamailioUdp = await pick('udp');
  const kamailioTcp = await pick('tcp');
  const kamailioTls = await pick('tcp');
  const kamailioTlsUntrusted = await pick('tcp');
  const kamailioTrunk = await pick('udp+tcp');
  const bots = await pickBots(pick);
  const base = await findMediaBase(opts.window ?? (await mediaWindow()), opts.random ?? Math.random, taken, CLASSIC_MEDIA_BLOCK, host, opts.claim);
  const media = layoutClassicMedia(base);
  return {
    kamailioUdp,
    kamailioTcp,
    kamailioTls,
    kamailioTlsUntrusted,
    kamailioTrunk,
    baresip: {
      '2001': { ...bots['2001'], rtp: media['2001'] },
      '3001': { ...bots['3001'], rtp: media['3001'] },
    },
  };
}

type Pick = (proto: Proto | 'sip' | 'udp+tcp') => Promise<number>;

/**
 * Hands out kernel-chosen free ports, never the same twice. `sip`: baresip binds its sip_listen
 * port on UDP and TCP, and the next port for TLS (TCP). `udp+tcp`: one number on both (the trunk).
 */
function picker(taken: Set<number>, host: string): Pick {
  return async (proto) => {
    for (let i = 0; i < 20; i++) {
      const port = await freePort(proto === 'sip' || proto === 'udp+tcp' ? 'udp' : proto, host);
      if (taken.has(port)) continue;
      if (proto === 'udp+tcp' && !(await canBind('tcp', port, host))) continue;
      if (proto === 'sip') {
        if (taken.has(port + 1) || port >= 65535) continue;
        if (!(await canBind('tcp', port, host)) || !(await canBind('tcp', port + 1, host))) continue;
        taken.add(port + 1);
      }
      taken.add(port);
      return port;
    }
    throw new Error(`no free ${proto} port on ${host}`);
  };
}

async function pickBots(pick: Pick): Promise<Record<BotUser, { sip: number; ctrl: number }>> {
  const sip2001 = await pick('sip');
  const ctrl2001 = await pick('tcp');
  const sip3001 = await pick('sip');
  const ctrl3001 = await pick('tcp');
  return { '2001': { sip: sip2001, ctrl: ctrl2001 }, '3001': { sip: sip3001, ctrl: ctrl3001 } };
}

async function findMediaBase(window: PortRange, random: () => number, taken: Set<number>, size: number, host: string, claim?: Claim): Promise<number> {
  const slots = Math.floor((window.max - window.min + 1) / size);
  if (slots < 1) throw new Error(`media port window ${window.min}-${window.max} is too small`);
  for (let attempt = 0; attempt < 40; attempt++) {
    const base = window.min + Math.floor(random() * slots) * size;
    const even = base % 2 === 0 ? base : base + 1;
    if (even + size - 1 > window.max) continue;
    if ((await rangeFree(even, even + size - 1, taken, host)) && (!claim || (await claim({ min: even, max: even + size - 1 })))) return even;
  }
  throw new Error(`no free block of ${size} UDP ports between ${window.min} and ${window.max}`);
}

async function rangeFree(min: number, max: number, taken: Set<number>, host: string): Promise<boolean> {
  for (let p = min; p <= max; p++) {
    if (taken.has(p) || !(await canBind('udp', p, host))) return false;
  }
  return true;
}

/** Flattens to (proto, port) pairs: what must be bindable for the sandbox to start. */
export function listeningPorts(ports: SandboxPorts): Array<[Proto, number]> {
  const out: Array<[Proto, number]> = [
    ['udp', ports.kamailioUdp],
    ['tcp', ports.kamailioWs],
    ['udp', ports.kamailioTrunk],
    ['tcp', ports.kamailioTrunk],
    ['udp', ports.rtpengineNg],
  ];
  for (const bot of Object.values(ports.baresip)) {
    out.push(['udp', bot.sip], ['tcp', bot.sip], ['tcp', bot.sip + 1], ['tcp', bot.ctrl]);
  }
  return out;
}

/** The same for the classic profile. */
export function classicListeningPorts(ports: ClassicPorts): Array<[Proto, number]> {
  const out: Array<[Proto, number]> = [
    ['udp', ports.kamailioUdp],
    ['tcp', ports.kamailioTcp],
    ['tcp', ports.kamailioTls],
    ['tcp', ports.kamailioTlsUntrusted],
    ['udp', ports.kamailioTrunk],
    ['tcp', ports.kamailioTrunk],
  ];
  for (const bot of Object.values(ports.baresip)) {
    out.push(['udp', bot.sip], ['tcp', bot.sip], ['tcp', bot.sip + 1], ['tcp', bot.ctrl]);
  }
  return out;
}

/** Every media range of a sandbox (rtpengine's, then the bots'). */
export function mediaRanges(ports: SandboxPorts | ClassicPorts): PortRange[] {
  const bots = Object.values(ports.baresip).map((b) => b.rtp);
  return 'rtpengineRtp' in ports ? [ports.rtpengineRtp, ...bots] : bots;
}

/** An earlier run's ports, when every one is still free and its media still unclaimed by another sandbox. */
async function reusable(listening: Array<[Proto, number]>, ranges: PortRange[], host: string, claim?: Claim): Promise<boolean> {
  if (!(await allFree(listening, ranges, host))) return false;
  for (const r of ranges) if (claim && !(await claim(r))) return false;
  return true;
}

async function allFree(listening: Array<[Proto, number]>, ranges: PortRange[], host: string): Promise<boolean> {
  const seen = new Set<string>();
  for (const [proto, port] of listening) {
    if (seen.has(`${proto}:${port}`) || !(await canBind(proto, port, host))) return false;
    seen.add(`${proto}:${port}`);
  }
  const udpTaken = new Set([...seen].filter((k) => k.startsWith('udp:')).map((k) => Number(k.slice(4))));
  for (const r of ranges) {
    if (!(await rangeFree(r.min, r.max, udpTaken, host))) return false;
  }
  return true;
}
