import { networkInterfaces } from 'node:os';

// Which of the browser's candidates the gateway's WebRTC leg uses. No werift here: the gateway
// reads this before it loads werift.

const LOOPBACK = '127.0.0.1';

/** This machine's own IPv4 addresses: packets between two of them are delivered locally, never sent out. */
export function ownAddresses(): Set<string> {
  const out = new Set<string>([LOOPBACK]);
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') out.add(a.address);
  return out;
}

/**
 * The address the WebRTC leg uses: 127.0.0.1 when the browser offers a loopback UDP candidate
 * (Chromium with --allow-loopback-in-peer-connection), else the first of the browser's UDP host
 * candidates that is an address of this machine (Firefox gathers none on loopback, only on its
 * interfaces). Either way both ends are on this machine and no packet leaves it.
 */
export function legAddress(offerSdp: string, own: Set<string> = ownAddresses()): string {
  const udpHosts = offerSdp
    .split(/\r?\n/)
    .filter((l) => l.startsWith('a=candidate:'))
    .map((l) => l.split(' '))
    .filter((f) => f[2]?.toLowerCase() === 'udp' && f[7] === 'host')
    .map((f) => f[4]!);
  if (udpHosts.includes(LOOPBACK)) return LOOPBACK;
  return udpHosts.find((a) => own.has(a)) ?? LOOPBACK;
}

/**
 * Whether the browser's SDP already has the candidate the leg will use (a UDP host candidate on
 * this machine): the gateway answers the browser's offer then, not after the browser's whole
 * gathering (Chromium's TCP candidates come ~120 ms later and the leg never uses them).
 */
export function hasLegCandidate(offerSdp: string, own: Set<string> = ownAddresses()): boolean {
  return offerSdp
    .split(/\r?\n/)
    .filter((l) => l.startsWith('a=candidate:'))
    .map((l) => l.split(' '))
    .some((f) => f[2]?.toLowerCase() === 'udp' && f[7] === 'host' && own.has(f[4]!));
}
