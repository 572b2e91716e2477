import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatStatus } from './format-status';
import { layoutClassicMedia } from './ports';
import { describeAnyStatus, describeClassicStatus } from './status-classic';
import { parseStatusFile, readStatusFile, writeStatusFile, type ClassicStatusFile } from './status-file';
import { ensurePasswords } from './users';

const media = layoutClassicMedia(20000);
function sample(): ClassicStatusFile {
  return {
    version: 1,
    profile: 'classic',
    dir: '/s',
    domain: 'sandbox.voispeed.test',
    startedAt: '2026-01-01T00:00:00.000Z',
    ports: {
      kamailioUdp: 41001,
      kamailioTcp: 41002,
      kamailioTls: 41003,
      kamailioTlsUntrusted: 41005,
      kamailioTrunk: 41004,
      baresip: {
        '2001': { sip: 41010, ctrl: 41011, rtp: media['2001'] },
        '3001': { sip: 41020, ctrl: 41021, rtp: media['3001'] },
      },
    },
    passwords: ensurePasswords(),
    processes: {
      kamailio: { pid: 12, marker: '/s/kamailio.cfg' },
      'baresip-2001': { pid: 13, marker: '/s/baresip-2001' },
      'baresip-3001': { pid: 14, marker: '/s/baresip-3001' },
    },
  };
}

describe('classic sandbox status', () => {
  it('round-trips through status.json and is told apart from a WebSocket one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voispeed-status-classic-'));
    try {
      const file = sample();
      await writeStatusFile(dir, file);
      expect(await readStatusFile(dir)).toEqual(file);
      // A classic file with WebSocket ports (or the other way round) is nobody's.
      expect(parseStatusFile(JSON.stringify({ ...file, profile: 'ws' }))).toBeUndefined();
      expect(parseStatusFile(JSON.stringify({ ...file, ports: { ...file.ports, kamailioTls: 0 } }))).toBeUndefined();
      const noRtpengine = { ...file, processes: { ...file.processes, rtpengine: { pid: 1, marker: 'x' } } };
      expect(parseStatusFile(JSON.stringify(noRtpengine))).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shows the SIP URI of each transport, the CA file and the profile', () => {
    const s = describeClassicStatus(sample(), () => true);
    expect(s.profile).toBe('classic');
    expect(s.sipUris).toEqual({
      udp: 'sip:127.0.0.1:41001;transport=udp',
      tcp: 'sip:127.0.0.1:41002;transport=tcp',
      tls: 'sip:127.0.0.1:41003;transport=tls',
      tlsUntrusted: 'sip:127.0.0.1:41005;transport=tls',
    });
    expect(s.caFile).toBe('/s/tls/ca.pem');
    expect(s.tls).toEqual({ caFile: '/s/tls/ca.pem', certFile: '/s/tls/server.pem', untrustedCertFile: '/s/tls/untrusted.pem' });
    expect(s.trunkUri).toBe('sip:127.0.0.1:41004');
    expect(s.users['1001']).toMatchObject({ kind: 'sip', uri: 'sip:1001@sandbox.voispeed.test' });
    expect(s.users['2001']).toMatchObject({ kind: 'bot', role: 'answering-bot', ctrl: { port: 41011 } });
    expect(s.account).toMatchObject({ wsUrls: ['sip:127.0.0.1:41001;transport=udp'], uri: 'sip:1001@sandbox.voispeed.test', authUser: '1001' });
    expect(s.accounts.udp).toEqual(s.account);
    expect(s.accounts.tcp.wsUrls).toEqual(['sip:127.0.0.1:41002;transport=tcp']);
    expect(s.accounts.tls).toMatchObject({ wsUrls: ['sip:127.0.0.1:41003;transport=tls'], tlsCaFile: '/s/tls/ca.pem', password: s.users['1001'].password });
    expect(s.accounts.udp).not.toHaveProperty('tlsCaFile');
    expect(Object.keys(s.processes)).toEqual(['kamailio', 'baresip-2001', 'baresip-3001']);
    expect(JSON.stringify(s)).not.toMatch(/rtpengine|ws:\/\//);
  });

  it('shows the bind address in every URI when started with --address', () => {
    const s = describeClassicStatus({ ...sample(), address: '10.9.0.2' }, () => true);
    expect(s.address).toBe('10.9.0.2');
    expect(s.sipUris.tls).toBe('sip:10.9.0.2:41003;transport=tls');
    expect(s.sipUdpUri).toBe('sip:10.9.0.2:41001');
    expect(s.users['2001'].ctrl).toEqual({ host: '10.9.0.2', port: 41011 });
    expect(describeClassicStatus(sample(), () => true).address).toBe('127.0.0.1');
    expect(parseStatusFile(JSON.stringify({ ...sample(), address: 'not-an-ip' }))).toBeUndefined();
  });

  it('is running when its three processes are, with no rtpengine expected', () => {
    const file = sample();
    expect(describeAnyStatus(file, () => true).running).toBe(true);
    expect(describeAnyStatus(file, (name) => name !== 'kamailio').running).toBe(false);
  });

  it('prints the transports, the CA and the untrusted listener for a human', () => {
    const text = formatStatus(describeClassicStatus(sample(), () => true), '/s').join('\n');
    expect(text).toMatch(/^sandbox: running \(classic profile/);
    expect(text).toContain('sip/tcp    sip:127.0.0.1:41002;transport=tcp');
    expect(text).toContain('sip/tls    sip:127.0.0.1:41003;transport=tls (trust the CA /s/tls/ca.pem)');
    expect(text).toContain('untrusted  sip:127.0.0.1:41005;transport=tls');
    expect(text).not.toContain('rtpengine');
    expect(text).not.toContain('websocket');
  });
});
