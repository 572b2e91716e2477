import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountSchema } from '../../../shared/protocol/account';
import { formatStatus } from './format-status';
import { layoutMedia } from './ports';
import { describeStatus, parseStatusFile, readPreviousPasswords, readStatusFile, writeStatusFile, type StatusFile } from './status-file';
import { ensurePasswords } from './users';

const media = layoutMedia(20000);
function sample(): StatusFile {
  return {
    version: 1,
    dir: '/s',
    domain: 'sandbox.voispeed.test',
    startedAt: '2026-01-01T00:00:00.000Z',
    ports: {
      kamailioUdp: 41001,
      kamailioWs: 41002,
      kamailioTrunk: 41004,
      rtpengineNg: 41003,
      rtpengineRtp: media.rtpengine,
      baresip: {
        '2001': { sip: 41010, ctrl: 41011, rtp: media.bots['2001'] },
        '3001': { sip: 41020, ctrl: 41021, rtp: media.bots['3001'] },
      },
    },
    passwords: ensurePasswords(),
    processes: {
      rtpengine: { pid: 11, marker: '--pidfile=/s/run/rtpengine.pid' },
      kamailio: { pid: 12, marker: '/s/kamailio.cfg' },
      'baresip-2001': { pid: 13, marker: '/s/baresip-2001' },
      'baresip-3001': { pid: 14, marker: '/s/baresip-3001' },
    },
  };
}

describe('sandbox status', () => {
  it('round-trips through status.json, written 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voispeed-status-'));
    try {
      const file = sample();
      await writeStatusFile(dir, file);
      expect(await readStatusFile(dir)).toEqual(file);
      expect((await stat(join(dir, 'status.json'))).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(join(dir, 'status.json'), 'utf8')).version).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the passwords of a status.json from before the trunk port, which it no longer reads whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voispeed-status-'));
    try {
      const old = sample() as unknown as { ports: Record<string, unknown>; passwords: Record<string, string> };
      delete old.ports.kamailioTrunk;
      await writeFile(join(dir, 'status.json'), JSON.stringify(old));
      expect(await readStatusFile(dir)).toBeUndefined();
      expect(await readPreviousPasswords(dir)).toEqual(old.passwords);
      await writeFile(join(dir, 'status.json'), '{broken');
      expect(await readPreviousPasswords(dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('treats a missing, broken or foreign status.json as no sandbox', async () => {
    expect(await readStatusFile('/nonexistent/voispeed')).toBeUndefined();
    expect(parseStatusFile('{not json')).toBeUndefined();
    expect(parseStatusFile(JSON.stringify({ version: 2 }))).toBeUndefined();
    const bad = sample() as unknown as { ports: { kamailioWs: number } };
    bad.ports.kamailioWs = 70000;
    expect(parseStatusFile(JSON.stringify(bad))).toBeUndefined();
  });

  it('is running only when every process is alive', () => {
    const file = sample();
    expect(describeStatus(file, () => true).running).toBe(true);
    const partly = describeStatus(file, (name) => name !== 'baresip-3001');
    expect(partly.running).toBe(false);
    expect(partly.processes['baresip-3001']).toEqual({ pid: 14, alive: false, log: '/s/baresip-3001.log' });
    expect(describeStatus({ ...file, processes: {} }, () => true).running).toBe(false);
  });

  it('describes URLs, users and a ready-to-save account for 1001', () => {
    const file = sample();
    const s = describeStatus(file, () => true);
    expect(s.wsUrl).toBe('ws://127.0.0.1:41002/ws');
    expect(s.sipUdpUri).toBe('sip:127.0.0.1:41001');
    expect(s.users['1001']).toMatchObject({ uri: 'sip:1001@sandbox.voispeed.test', authUser: '1001', password: file.passwords['1001'], kind: 'webrtc' });
    expect(s.users['2001']).toMatchObject({ kind: 'bot', role: 'answering-bot', toneHz: 1000, ctrl: { host: '127.0.0.1', port: 41011 } });
    expect(s.users['3001']).toMatchObject({ role: 'transfer-target', ctrl: { port: 41021 } });
    expect(accountSchema.parse(s.account)).toEqual({
      wsUrls: ['ws://127.0.0.1:41002/ws'],
      uri: 'sip:1001@sandbox.voispeed.test',
      authUser: '1001',
      password: file.passwords['1001'],
      realm: 'sandbox.voispeed.test',
      displayName: 'Sandbox 1001',
      extension: '1001',
      label: 'sandbox',
    });
    expect(s.recordingsDir).toBe('/s/recordings');
  });

  it('prints a human status with what a softphone needs', () => {
    const file = sample();
    const text = formatStatus(describeStatus(file, () => true), '/s').join('\n');
    expect(text).toMatch(/^sandbox: running/);
    expect(text).toContain('ws://127.0.0.1:41002/ws');
    expect(text).toContain(`1001  ${file.passwords['1001']}`);
    expect(text).toContain('ctrl_tcp 127.0.0.1:41011');
    expect(formatStatus(describeStatus(file, () => false), '/s')[0]).toBe('sandbox: stopped');
    expect(formatStatus(undefined, '/s')[0]).toContain('not created');
  });
});
