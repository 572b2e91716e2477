import { createSocket, type Socket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allocateClassicPorts,
  allocatePorts,
  canBind,
  CLASSIC_MEDIA_BLOCK,
  classicListeningPorts,
  layoutClassicMedia,
  layoutMedia,
  listeningPorts,
  MEDIA_BLOCK,
  mediaWindow,
  type SandboxPorts,
} from './ports';

const held: Socket[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

function holdUdp(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind({ port, address: '127.0.0.1' }, () => {
      held.push(s);
      resolve();
    });
  });
}

function ranges(p: SandboxPorts) {
  return [p.rtpengineRtp, p.baresip['2001'].rtp, p.baresip['3001'].rtp];
}

describe('sandbox ports', () => {
  it('gives every listener its own free port and a media block below the ephemeral range', async () => {
    const p = await allocatePorts();
    const signalling = [p.kamailioUdp, p.kamailioWs, p.rtpengineNg, p.baresip['2001'].sip, p.baresip['2001'].ctrl, p.baresip['3001'].sip, p.baresip['3001'].ctrl];
    expect(new Set(signalling).size).toBe(signalling.length);
    for (const [proto, port] of listeningPorts(p)) expect(await canBind(proto, port)).toBe(true);

    const win = await mediaWindow();
    expect(p.rtpengineRtp.min % 2).toBe(0);
    expect(p.rtpengineRtp.min).toBeGreaterThanOrEqual(win.min);
    expect(p.baresip['3001'].rtp.max).toBeLessThanOrEqual(win.max);
    expect(p.baresip['3001'].rtp.max - p.rtpengineRtp.min + 1).toBe(MEDIA_BLOCK);
    for (const port of signalling) {
      for (const r of ranges(p)) expect(port < r.min || port > r.max).toBe(true);
    }
  });

  it('splits a media block into disjoint slices for rtpengine and each bot', () => {
    const m = layoutMedia(20000);
    expect(m.rtpengine).toEqual({ min: 20000, max: 20079 });
    expect(m.bots['2001']).toEqual({ min: 20080, max: 20099 });
    expect(m.bots['3001']).toEqual({ min: 20100, max: 20119 });
  });

  it('skips a media block in which a port is taken', async () => {
    const window = { min: 20000, max: 20000 + 2 * MEDIA_BLOCK - 1 };
    await holdUdp(20000 + 5);
    // The first draw lands on the taken block, the second on the free one.
    const draws = [0, 0.99];
    const p = await allocatePorts({ window, random: () => draws.shift() ?? 0.99 });
    expect(p.rtpengineRtp.min).toBe(20000 + MEDIA_BLOCK);
  });

  it('reuses the ports of an earlier run while they are free, so saved ws URLs stay valid', async () => {
    const first = await allocatePorts();
    expect(await allocatePorts({ previous: first })).toEqual(first);
  });

  it('moves away from earlier ports once one of them is taken', async () => {
    const first = await allocatePorts();
    await holdUdp(first.kamailioUdp);
    const second = await allocatePorts({ previous: first });
    expect(second.kamailioUdp).not.toBe(first.kamailioUdp);
  });

  it('never hands two sandboxes overlapping media ranges', async () => {
    const a = await allocatePorts();
    // Hold a's whole block, as a running sandbox would.
    for (let port = a.rtpengineRtp.min; port <= a.baresip['3001'].rtp.max; port++) await holdUdp(port);
    const b = await allocatePorts();
    expect(b.rtpengineRtp.min > a.baresip['3001'].rtp.max || b.baresip['3001'].rtp.max < a.rtpengineRtp.min).toBe(true);
  });
});

describe('classic sandbox ports', () => {
  it('gives UDP, TCP, both TLS listeners, the trunk and the bots their own free ports, and no rtpengine', async () => {
    const p = await allocateClassicPorts();
    const signalling = [p.kamailioUdp, p.kamailioTcp, p.kamailioTls, p.kamailioTlsUntrusted, p.kamailioTrunk, p.baresip['2001'].sip, p.baresip['2001'].ctrl, p.baresip['3001'].sip, p.baresip['3001'].ctrl];
    expect(new Set(signalling).size).toBe(signalling.length);
    expect(p).not.toHaveProperty('rtpengineNg');
    expect(p).not.toHaveProperty('kamailioWs');
    for (const [proto, port] of classicListeningPorts(p)) expect(await canBind(proto, port)).toBe(true);
    expect(p.baresip['3001'].rtp.max - p.baresip['2001'].rtp.min + 1).toBe(CLASSIC_MEDIA_BLOCK);
    expect(p.baresip['2001'].rtp.min % 2).toBe(0);
  });

  it('binds its ports on another loopback address when asked (127.0.0.2)', async () => {
    const p = await allocateClassicPorts({ host: '127.0.0.2' });
    for (const [proto, port] of classicListeningPorts(p)) expect(await canBind(proto, port, '127.0.0.2')).toBe(true);
  });

  it('splits its smaller media block between the two bots', () => {
    expect(layoutClassicMedia(30000)).toEqual({ '2001': { min: 30000, max: 30019 }, '3001': { min: 30020, max: 30039 } });
  });

  it('reuses earlier ports while free, and moves once a TLS port is taken', async () => {
    const first = await allocateClassicPorts();
    expect(await allocateClassicPorts({ previous: first })).toEqual(first);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(first.kamailioTlsUntrusted, '127.0.0.1', r));
    try {
      const second = await allocateClassicPorts({ previous: first });
      expect(second.kamailioTlsUntrusted).not.toBe(first.kamailioTlsUntrusted);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
