import { describe, expect, it } from 'vitest';
import { FIREFOX_EXTENSION_ID } from '../../shared/extension-ids';
import { join } from 'node:path';
import { HOST_DAEMON_FLAG, HOTKEYS_HELPER_FLAG, hotkeysHelperCommand, seaRole } from './sea-role';

describe('what the Windows single executable runs', () => {
  it('as Chrome, Edge and Brave start it: the launcher', () => {
    expect(seaRole(['chrome-extension://gmihbldahhjcghchginofgkifkojfekd/', '--parent-window=0'])).toBe('launcher');
    expect(seaRole(['chrome-extension://gmihbldahhjcghchginofgkifkojfekd/'])).toBe('launcher');
  });
  it('as Firefox starts it (manifest path, extension id): the launcher', () => {
    expect(seaRole(['C:\\Users\\a\\AppData\\Local\\VOIspeed UI\\voispeed.ui-firefox.json', FIREFOX_EXTENSION_ID])).toBe('launcher');
  });
  it('as the launcher starts the host: the host', () => {
    expect(seaRole([HOST_DAEMON_FLAG])).toBe('daemon');
  });
  it('as the host starts its hotkeys helper: the helper (not the CLI, which a script path used to start)', () => {
    expect(seaRole([HOTKEYS_HELPER_FLAG])).toBe('hotkeys-helper');
    expect(seaRole([HOTKEYS_HELPER_FLAG, 'status'])).toBe('cli');
    expect(seaRole(['C:\\x\\hotkeys-helper.cjs'])).toBe('cli');
    expect(hotkeysHelperCommand(true, '/opt/x', join)).toEqual({ file: process.execPath, args: [HOTKEYS_HELPER_FLAG] });
    expect(hotkeysHelperCommand(false, '/opt/x', join)).toEqual({ file: process.execPath, args: ['/opt/x/hotkeys-helper.cjs'] });
  });
  it('anything else is the CLI, including a lookalike of the Firefox form with another id', () => {
    expect(seaRole([])).toBe('cli');
    expect(seaRole(['status'])).toBe('cli');
    expect(seaRole(['call', 'chrome-extension://x/'])).toBe('cli');
    expect(seaRole(['x.json', 'someone-else@example.org'])).toBe('cli');
    expect(seaRole(['url', '--from-env'])).toBe('cli');
  });
});
