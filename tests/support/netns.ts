import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/**
 * A network namespace made by the test and held by a `sleep` process (no `ip netns add`: that
 * needs the machine's /run/netns and fails in a user namespace, where CI may run us). Commands
 * run inside with `nsenter -t <pid> -n`. Nothing here touches the machine's own network: the
 * test already runs in a namespace of its own (scripts/test.mjs, `unshare -n`).
 */
export class NetNs {
  private constructor(readonly holder: ChildProcess, readonly pid: number) {}

  static async create(): Promise<NetNs> {
    const holder = spawn('unshare', ['-n', '--', 'sleep', 'infinity'], { stdio: 'ignore' });
    const pid = holder.pid!;
    const ours = readlinkSync('/proc/self/ns/net');
    // unshare() happens just after spawn returns: wait until the process really is elsewhere.
    for (;;) {
      let theirs = ours;
      try {
        theirs = readlinkSync(`/proc/${pid}/ns/net`);
      } catch {
        // Not there yet.
      }
      if (theirs !== ours) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const ns = new NetNs(holder, pid);
    ns.run('ip', 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** Runs a command inside; throws with its stderr on failure. */
  run(cmd: string, ...args: string[]): string {
    return execFileSync('nsenter', ['-t', String(this.pid), '-n', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** The argv prefix that runs a program inside (for spawnHost). */
  get prefix(): string[] {
    return ['nsenter', '-t', String(this.pid), '-n'];
  }

  close(): void {
    this.holder.kill('SIGKILL');
  }
}

/** Runs a command in the test's own namespace. */
export function here(cmd: string, ...args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A veth pair: `a` stays here (or in `aNs`), `b` goes into `bNs`; each gets its address and comes up. */
export function veth(a: { name: string; cidr: string; ns?: NetNs }, b: { name: string; cidr: string; ns: NetNs }): void {
  const inA = (cmd: string, ...args: string[]) => (a.ns ? a.ns.run(cmd, ...args) : here(cmd, ...args));
  inA('ip', 'link', 'add', a.name, 'type', 'veth', 'peer', 'name', b.name, 'netns', String(b.ns.pid));
  inA('ip', 'addr', 'add', a.cidr, 'dev', a.name);
  inA('ip', 'link', 'set', a.name, 'up');
  b.ns.run('ip', 'addr', 'add', b.cidr, 'dev', b.name);
  b.ns.run('ip', 'link', 'set', b.name, 'up');
}

/**
 * The sandbox listens on 127.0.0.1 only: make `port` (UDP) of this namespace's `address` on
 * `dev` reach it. route_localnet lets the kernel route to and from 127.0.0.1 over a real device;
 * conntrack gives Kamailio's answers (and its new requests to a client it knows) the public source.
 */
export function exposeLoopbackUdp(dev: string, address: string, port: number): () => void {
  const before = here('sysctl', '-n', 'net.ipv4.conf.all.route_localnet').trim();
  here('sysctl', '-qw', 'net.ipv4.conf.all.route_localnet=1');
  here('sysctl', '-qw', `net.ipv4.conf.${dev}.route_localnet=1`);
  const rule = ['PREROUTING', '-i', dev, '-p', 'udp', '-d', address, '--dport', String(port), '-j', 'DNAT', '--to-destination', `127.0.0.1:${port}`];
  here('iptables', '-t', 'nat', '-A', ...rule);
  // Undo exactly what was added (the device goes with its namespace's holder).
  return () => {
    here('iptables', '-t', 'nat', '-D', ...rule);
    here('sysctl', '-qw', `net.ipv4.conf.all.route_localnet=${before}`);
  };
}
