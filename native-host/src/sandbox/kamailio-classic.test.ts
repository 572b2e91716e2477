import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kamailioClassicConfig, kamailioTlsConfig } from './kamailio-classic';
import { kamailioConfig } from './kamailio-config';
import { layoutClassicMedia, layoutMedia, type ClassicPorts } from './ports';
import { ensureTlsFiles, tlsFiles } from './tls-certs';
import { ensurePasswords, SANDBOX_DOMAIN } from './users';

const media = layoutClassicMedia(20000);
const ports: ClassicPorts = {
  kamailioUdp: 41001,
  kamailioTcp: 41002,
  kamailioTls: 41003,
  kamailioTlsUntrusted: 41005,
  kamailioTrunk: 41004,
  baresip: {
    '2001': { sip: 41010, ctrl: 41011, rtp: media['2001'] },
    '3001': { sip: 41020, ctrl: 41021, rtp: media['3001'] },
  },
};
const passwords = ensurePasswords();
const cfg = kamailioClassicConfig({ domain: SANDBOX_DOMAIN, ports, passwords });

function block(text: string, name: string): string {
  const start = text.indexOf(`${name} {`);
  expect(start).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n}\n', start));
}

describe('kamailio.cfg, classic profile', () => {
  it('listens on loopback only: UDP, TCP, two TLS ports and the trunk; no WebSocket', () => {
    const listens = cfg.split('\n').filter((l) => l.startsWith('listen='));
    expect(listens).toEqual([
      'listen=udp:127.0.0.1:41001',
      'listen=tcp:127.0.0.1:41002',
      'listen=tls:127.0.0.1:41003',
      'listen=tls:127.0.0.1:41005',
      'listen=udp:127.0.0.1:41004',
      'listen=tcp:127.0.0.1:41004',
    ]);
    expect(cfg).toContain('enable_tls=yes');
    expect(cfg).toContain('loadmodule "tls.so"');
    expect(cfg).toContain('modparam("tls", "config", "tls.cfg")');
    expect(cfg).not.toMatch(/websocket|xhttp/);
  });

  it('has no media relay: SDP passes untouched', () => {
    // Comments aside: a shared comment mentions rtpengine.
    const statements = cfg.split('\n').filter((l) => !l.trim().startsWith('#'));
    expect(statements.join('\n')).not.toMatch(/rtpengine/i);
    expect(block(cfg, 'branch_route[MANAGE_BRANCH]')).not.toContain('offer');
  });

  it('reaches TCP and TLS clients over their own connection: aliased Contact, registration saved with the source', () => {
    const main = block(cfg, 'request_route');
    expect(main).toContain('if (!is_method("REGISTER") && is_present_hf("Contact") && (($pr == "tcp" || $pr == "tls") || nat_uac_test("50"))) add_contact_alias();');
    expect(block(cfg, 'route[REGISTRAR]')).toContain('if (($pr == "tcp" || $pr == "tls") || nat_uac_test("50")) fix_nated_register();');
    expect(block(cfg, 'onreply_route[MANAGE_REPLY]')).toContain('if (($pr == "tcp" || $pr == "tls") || (is_present_hf("Contact") && $(ct{tobody.host}) != $si)) add_contact_alias();');
    expect(block(cfg, 'route[WITHINDLG]')).toMatch(/loose_route\(\)\) \{\n\s+handle_ruri_alias\(\);/);
    expect(cfg).toContain('tcp_connection_lifetime=3605');
  });

  it('shares the registrar, dial plan and trunk with the WebSocket profile, word for word', () => {
    const ws = kamailioConfig({
      domain: SANDBOX_DOMAIN,
      passwords,
      ports: { kamailioUdp: 41001, kamailioWs: 41002, kamailioTrunk: 41004, rtpengineNg: 41003, rtpengineRtp: layoutMedia(20000).rtpengine, baresip: ports.baresip },
    });
    for (const name of ['route[AUTH]', 'route[DIALPLAN]', 'route[TRUNK]', 'route[TRANSFER]', 'route[LOCATION]', 'route[RELAY]', 'event_route[htable:mod-init]']) {
      expect(block(cfg, name)).toBe(block(ws, name));
    }
    expect(block(cfg, 'route[DIALPLAN]')).toContain('$ru = "sip:2001@sandbox.voispeed.test";');
  });

  it('gives the untrusted listener its self-signed certificate, everything else the CA-signed one', () => {
    const tls = kamailioTlsConfig('/s', ports, tlsFiles('/s'));
    expect(tls).toContain('[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\ncertificate = tls/server.pem\nprivate_key = tls/server.key');
    expect(tls).toContain('[server:127.0.0.1:41005]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\ncertificate = tls/untrusted.pem\nprivate_key = tls/untrusted.key');
    expect(() => kamailioTlsConfig('/s', ports, { ...tlsFiles('/s'), certFile: '/s/tls/a b.pem' })).toThrow(/unsafe/);
    expect(() => kamailioTlsConfig('/s', ports, { ...tlsFiles('/s'), certFile: '/elsewhere/x.pem' })).toThrow(/unsafe/);
  });

  it('binds every listener, and the untrusted TLS domain, to another address when asked', () => {
    const at = kamailioClassicConfig({ domain: SANDBOX_DOMAIN, ports, passwords, address: '10.9.0.2' });
    const listens = at.split('\n').filter((l) => l.startsWith('listen='));
    expect(listens).toHaveLength(6);
    for (const l of listens) expect(l).toMatch(/^listen=(udp|tcp|tls):10\.9\.0\.2:\d+$/);
    expect(kamailioTlsConfig('/s', ports, tlsFiles('/s'), '10.9.0.2')).toContain('[server:10.9.0.2:41005]');
    expect(() => kamailioClassicConfig({ domain: SANDBOX_DOMAIN, ports, passwords, address: '0.0.0.0\nlisten=udp:1.2.3.4:5' })).toThrow(/IPv4/);
    expect(() => kamailioClassicConfig({ domain: SANDBOX_DOMAIN, ports, passwords, address: 'pbx.example.com' })).toThrow(/IPv4/);
  });

  it('refuses a password that could break out of the config string', () => {
    expect(() => kamailioClassicConfig({ domain: SANDBOX_DOMAIN, ports, passwords: { ...passwords, '1001': 'x";exit;"' } })).toThrow(/unsafe/);
  });

  // The real parser (with the real tls module and certificates) is the only judge of a config.
  const kamailio = ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio'].find((p) => existsSync(p));
  const tlsModule = ['/usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so', '/usr/lib/kamailio/modules/tls.so', '/usr/lib64/kamailio/modules/tls.so'].some((p) => existsSync(p));
  it.skipIf(!kamailio || !tlsModule)('passes `kamailio -c` with its tls.cfg and certificates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voispeed-kcfg-classic-'));
    try {
      const files = await ensureTlsFiles(dir, SANDBOX_DOMAIN);
      await writeFile(join(dir, 'kamailio.cfg'), cfg);
      await writeFile(join(dir, 'tls.cfg'), kamailioTlsConfig(dir, ports, files));
      const { stdout, stderr } = await promisify(execFile)(kamailio as string, ['-c', '-f', join(dir, 'kamailio.cfg')]);
      expect(`${stdout}${stderr}`).toContain('config file ok');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
