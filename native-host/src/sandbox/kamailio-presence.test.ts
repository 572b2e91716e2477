import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kamailioConfig } from './kamailio-config';
import { DBTEXT_SCHEMA_DIR, PRESENCE_TABLES, preparePresenceDb, quotedPath } from './kamailio-presence';
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

describe('presence in the sandbox kamailio.cfg', () => {
  const cfg = kamailioConfig({ domain: SANDBOX_DOMAIN, ports, passwords, presenceDb: '/tmp/my sandbox/presence-db' });

  it('loads the presence modules on db_text in the sandbox folder (a space in the path is fine)', () => {
    for (const m of ['db_text', 'dialog', 'presence', 'presence_dialoginfo', 'presence_mwi', 'pua', 'pua_dialoginfo']) expect(cfg).toContain(`loadmodule "${m}.so"`);
    expect(cfg).toContain('modparam("presence", "db_url", "text:///tmp/my sandbox/presence-db")');
    expect(cfg).toContain('modparam("pua", "outbound_proxy", "sip:presence@127.0.0.1:41001")');
  });

  it('answers PUBLISH/SUBSCRIBE itself, tracks new INVITEs, and keeps the 404 only without presence', () => {
    expect(cfg).toContain('route(PRESENCE);');
    expect(cfg).toContain('handle_subscribe();');
    expect(cfg).toContain('if (is_method("INVITE") && !has_totag()) dlg_manage();');
    expect(cfg).toContain('if (is_method("SUBSCRIBE")) set_contact_alias(); else add_contact_alias();');
    expect(cfg).not.toContain('No presence here');
    const without = kamailioConfig({ domain: SANDBOX_DOMAIN, ports, passwords });
    expect(without).toContain('No presence here');
    expect(without).not.toContain('presence.so');
  });

  it('refuses a database path that would break out of the cfg string', () => {
    expect(() => quotedPath('/a"b')).toThrow(/unsafe path/);
    expect(() => quotedPath('/a\nb')).toThrow(/unsafe path/);
    expect(() => quotedPath('relative/db')).toThrow(/unsafe path/);
    expect(quotedPath('/with space/db')).toBe('"/with space/db"');
  });

  const kamailio = ['/usr/sbin/kamailio', '/usr/local/sbin/kamailio'].find((p) => existsSync(p));
  const presenceInstalled = existsSync('/usr/lib/x86_64-linux-gnu/kamailio/modules/presence.so') && existsSync(DBTEXT_SCHEMA_DIR);
  it.skipIf(!kamailio || !presenceInstalled)('fresh tables, and the whole config passes `kamailio -c` (kamailio-presence-modules)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'voispeed kpres-'));
    try {
      const db = await preparePresenceDb(dir);
      expect((await readdir(db)).sort()).toEqual([...PRESENCE_TABLES].sort());
      await writeFile(join(dir, 'kamailio.cfg'), kamailioConfig({ domain: SANDBOX_DOMAIN, ports, passwords, presenceDb: db }));
      const { stdout, stderr } = await promisify(execFile)(kamailio as string, ['-c', '-f', join(dir, 'kamailio.cfg')]);
      expect(`${stdout}${stderr}`).toContain('config file ok');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('presence in the classic profile', () => {
  it('the same modules and route, the server address on the classic UDP listener', async () => {
    const { kamailioClassicConfig } = await import('./kamailio-classic');
    const { allocateClassicPorts } = await import('./ports');
    const classicPorts = await allocateClassicPorts({ host: '127.0.0.1' });
    const cfg = kamailioClassicConfig({ domain: SANDBOX_DOMAIN, ports: classicPorts, passwords, presenceDb: '/tmp/sb/presence-db' });
    expect(cfg).toContain('loadmodule "pua_dialoginfo.so"');
    expect(cfg).toContain(`modparam("pua", "outbound_proxy", "sip:presence@127.0.0.1:${classicPorts.kamailioUdp}")`);
    expect(cfg).toContain('route(PRESENCE);');
  });
});
