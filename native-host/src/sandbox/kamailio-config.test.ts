import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KAMAILIO_LOG_PATTERNS, RTPENGINE_FLAGS, kamailioConfig, kamailioLaunch } from './kamailio-config';
import { layoutMedia, type SandboxPorts } from './ports';
import { ensurePasswords, SANDBOX_DOMAIN } from './users';

const media = layoutMedia(20000);
const ports: SandboxPorts = {
  kamailioUdp: 41001,
  kamailioWs: 41002,
  kamailioTrunk: 41004,
  rtpengineNg: 41003,
  rtpengineRtp: media.rtpengine,
  baresip: {
    '2001': { sip: 41010, ctrl: 41011, rtp: media.bots['2001'] },
    '3001': { sip: 41020, ctrl: 41021, rtp: media.bots['3001'] },
  },
};
const passwords = ensurePasswords();
const cfg = kamailioConfig({ domain: SANDBOX_DOMAIN, ports, passwords });

function block(name: string): string {
  const start = cfg.indexOf(`${name} {`);
  expect(start).toBeGreaterThanOrEqual(0);
  return cfg.slice(start, cfg.indexOf('\n}\n', start));
}

describe('kamailio.cfg', () => {
  it('listens on loopback only, UDP and TCP (WebSocket) on the chosen ports, and UDP and TCP on the trunk port', () => {
    const listens = cfg.split('\n').filter((l) => l.startsWith('listen='));
    expect(listens).toEqual(['listen=udp:127.0.0.1:41001', 'listen=tcp:127.0.0.1:41002', 'listen=udp:127.0.0.1:41004', 'listen=tcp:127.0.0.1:41004']);
    expect(cfg).toContain('alias="sandbox.voispeed.test"');
    expect(cfg).toContain('"rtpengine_sock", "udp:127.0.0.1:41003"');
  });

  it('holds every user with its password', () => {
    for (const [user, pw] of Object.entries(passwords)) expect(cfg).toContain(`$sht(users=>${user}) = "${pw}";`);
  });

  it('accepts the WebSocket upgrade on /ws', () => {
    const http = block('event_route[xhttp:request]');
    expect(http).toContain('$hu == "/ws"');
    expect(http).toContain('ws_handle_handshake()');
  });

  it('sends numbers that are not extensions to the answering bot', () => {
    const dialplan = block('route[DIALPLAN]');
    expect(dialplan).toContain('if ($sht(users=>$rU) != $null) return;');
    expect(dialplan).toContain('$ru = "sip:2001@sandbox.voispeed.test";');
  });

  it('hands out no GRUUs: a ;gr= Contact in the sandbox domain cannot be routed', () => {
    expect(cfg).toMatch(/^modparam\("registrar", "gruu_enabled", 0\)$/m);
  });

  it('takes calls on the trunk port without credentials, from 127.0.0.1 only, before any auth check', () => {
    const main = block('request_route');
    expect(main.indexOf('route(TRUNK);')).toBeGreaterThan(0);
    expect(main.indexOf('route(TRUNK);')).toBeLessThan(main.indexOf('route(REGISTRAR)'));
    expect(main.indexOf('route(TRANSFER);')).toBeLessThan(main.indexOf('route(AUTH);'));
    expect(main).toContain('if ($Rp == 41004 && ($pr == "udp" || $pr == "tcp")) setflag(FLT_TRUNK);');
    const trunk = block('route[TRUNK]');
    expect(trunk).toContain('if ($si != "127.0.0.1")');
    expect(trunk).not.toContain('auth');
  });

  it('puts DTLS=passive only on initial offers toward the WebRTC leg', () => {
    expect(RTPENGINE_FLAGS.offerToWebrtc).toContain('DTLS=passive');
    for (const flags of [RTPENGINE_FLAGS.reofferToWebrtc, RTPENGINE_FLAGS.answerToWebrtc]) expect(flags).not.toContain('DTLS');
    expect(cfg.match(/DTLS=passive/g)).toHaveLength(1);
    expect(block('branch_route[MANAGE_BRANCH]')).toContain(`rtpengine_offer("${RTPENGINE_FLAGS.offerToWebrtc}")`);
    expect(block('onreply_route[MANAGE_REPLY]')).not.toContain('DTLS=passive');
  });

  it('frees rtpengine sessions on BYE and CANCEL', () => {
    expect(block('route[WITHINDLG]')).toMatch(/is_method\("BYE"\)\) rtpengine_delete\(\)/);
    expect(block('request_route')).toMatch(/is_method\("CANCEL"\)[\s\S]*?rtpengine_delete\(\)/);
  });

  it('logs every request in the documented format', () => {
    expect(block('request_route')).toContain('xlog("L_NOTICE", "REQ $rm $ru from $pr:$si:$sp\\n");');
    const sample = ' 2(10072) NOTICE: <script>: REQ INVITE sip:0261616161@sandbox.voispeed.test from udp:127.0.0.1:40404';
    expect(KAMAILIO_LOG_PATTERNS.request.exec(sample)?.slice(1)).toEqual(['INVITE', 'sip:0261616161@sandbox.voispeed.test', 'udp', '127.0.0.1', '40404']);
    expect(KAMAILIO_LOG_PATTERNS.route.test('ROUTE sip:187@sandbox.voispeed.test -> sip:2001@sandbox.voispeed.test (not a local extension)')).toBe(true);
  });

  it('refuses a password that could break out of the config string', () => {
    expect(() => kamailioConfig({ domain: SANDBOX_DOMAIN, ports, passwords: { ...passwords, '1001': 'x";exit;"' } })).toThrow(/unsafe/);
  });

  it('keeps runtime files in the sandbox folder and marks the process by its cfg path', () => {
    const l = kamailioLaunch('/s/kamailio.cfg', '/s/run', '/s/run/kamailio.pid');
    expect(l.args).toEqual(['-DD', '-E', '-Y', '/s/run', '-P', '/s/run/kamailio.pid', '-f', '/s/kamailio.cfg', '-m', '64', '-M', '8']);
    expect(l.marker).toBe('/s/kamailio.cfg');
  });

  // The real parser is the only judge of a config; skipped where Kamailio is not installed.
  const kamailio = ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio'].find((p) => existsSync(p));
  it.skipIf(!kamailio)('passes `kamailio -c`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voispeed-kcfg-'));
    try {
      await writeFile(join(dir, 'kamailio.cfg'), cfg);
      const { stdout, stderr } = await promisify(execFile)(kamailio as string, ['-c', '-f', join(dir, 'kamailio.cfg')]);
      expect(`${stdout}${stderr}`).toContain('config file ok');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
