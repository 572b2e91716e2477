import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ORIGIN, FIREFOX_EXTENSION_ID } from '../../../shared/extension-ids';
import { DEB_CLI, DEB_HOST_LAUNCHER, DEB_NODE, debControl, debTextFiles, debVersion } from './deb-layout';

describe('the Debian package layout', () => {
  const files = debTextFiles();
  const byPath = new Map(files.map((f) => [f.path, f]));

  it('puts one manifest in the system-wide folder of each browser, naming the packaged launcher', () => {
    const manifests = files.filter((f) => f.path.endsWith('/voispeed.ui.json'));
    expect(manifests.map((f) => f.path).sort()).toEqual([
      '/etc/chromium/native-messaging-hosts/voispeed.ui.json',
      '/etc/opt/brave/native-messaging-hosts/voispeed.ui.json',
      '/etc/opt/chrome/native-messaging-hosts/voispeed.ui.json',
      '/etc/opt/edge/native-messaging-hosts/voispeed.ui.json',
      '/usr/lib/mozilla/native-messaging-hosts/voispeed.ui.json',
    ]);
    for (const m of manifests) {
      const json = JSON.parse(m.content);
      expect(json.path).toBe(DEB_HOST_LAUNCHER);
      expect(m.mode).toBe(0o644);
      if (m.path.startsWith('/usr/lib/mozilla')) expect(json.allowed_extensions).toEqual([FIREFOX_EXTENSION_ID]);
      else expect(json.allowed_origins).toEqual([CHROMIUM_EXTENSION_ORIGIN]);
    }
  });

  it('the launcher and the command run the bundled node by absolute path (browsers give a minimal PATH)', () => {
    expect(byPath.get(DEB_HOST_LAUNCHER)?.content).toContain(`exec '${DEB_NODE}' '/usr/lib/voispeed/host.cjs' "$@"`);
    expect(byPath.get(DEB_CLI)?.content).toContain(`exec '${DEB_NODE}' '/usr/lib/voispeed/voispeed.cjs' "$@"`);
    expect(byPath.get(DEB_HOST_LAUNCHER)?.mode).toBe(0o755);
    expect(byPath.get(DEB_CLI)?.mode).toBe(0o755);
  });

  it('the control file carries the version and the size in KiB; a version dpkg refuses is an error', () => {
    const control = debControl({ version: '1.2.3', installedBytes: 2049, nodeVersion: '22.0.0' });
    expect(control).toMatch(/^Version: 1\.2\.3$/m);
    expect(control).toMatch(/^Installed-Size: 3$/m);
    expect(control.endsWith('\n')).toBe(true);
    expect(() => debVersion('1.0 beta')).toThrow(/not a version/);
    expect(() => debVersion('v1.0')).toThrow(/not a version/);
    expect(() => debVersion('1.0\nDepends: evil')).toThrow(/not a version/);
  });
});
