import { posix } from 'node:path';
import { systemFileExample } from '../../../shared/settings/managed-docs';
import { BROWSER_IDS, browserFamily, linuxSystemManifestDir } from './browsers';
import { MANIFEST_FILE_NAME, hostManifestText } from './host-manifest';
import { InstallError } from './install-error';
import { shQuote } from './launcher';
import { DESKTOP_FILE_ID, desktopEntry } from './url-handler';

/**
 * What the Debian package `voispeed-host` installs, as data (scripts/package/deb.mjs writes it and
 * runs dpkg-deb). Everything is system-wide and owned by dpkg, so `apt-get remove` takes it all
 * away without maintainer scripts: the host and its own Node in /usr/lib/voispeed, a manifest in the
 * folder each browser reads for every user, /usr/bin/voispeed, and the `voispeed:` desktop entry
 * (desktop-file-utils' dpkg trigger refreshes the MIME cache). Per-user data (settings, history in
 * ~/.config/voispeed) is the user's and stays.
 */

export const DEB_PACKAGE_NAME = 'voispeed-host';
export const DEB_LIB_DIR = '/usr/lib/voispeed';
/** The Node that runs the host: bundled, see README "Install" (Debian 12 ships Node 18). */
export const DEB_NODE = `${DEB_LIB_DIR}/node`;
/** What every manifest's `path` names. */
export const DEB_HOST_LAUNCHER = `${DEB_LIB_DIR}/voispeed-host`;
export const DEB_CLI = '/usr/bin/voispeed';
export const DEB_DESKTOP_FILE = `/usr/share/applications/${DESKTOP_FILE_ID}`;
/**
 * An example of the administrator's system file (docs/provisioning.md). Not /etc/voispeed/settings.json
 * itself: as a conffile dpkg would ask about it on every upgrade where the admin changed it, and an
 * empty one would say nothing; the admin copies this one there.
 */
export const DEB_SYSTEM_SETTINGS_EXAMPLE = '/usr/share/doc/voispeed-host/examples/settings.json';
/** The built host bundle files copied from dist/host into DEB_LIB_DIR. */
export const DEB_HOST_BUNDLE = ['host.cjs', 'host-daemon.cjs', 'host-core.cjs', 'host-media.cjs', 'host-ldap.cjs', 'host-x11.cjs', 'voispeed.cjs', 'voispeed-hot.cjs', 'voispeed-cli.cjs', 'hotkeys-helper.cjs'] as const;

export interface DebTextFile {
  /** Absolute path on the target system. */
  path: string;
  content: string;
  mode: number;
}

const FROM_PACKAGE = `# Installed by the ${DEB_PACKAGE_NAME} package; removing the package removes it.`;

function execScript(target: string): string {
  return ['#!/bin/sh', FROM_PACKAGE, `exec ${shQuote(DEB_NODE)} ${shQuote(target)} "$@"`, ''].join('\n');
}

/** Every text file the package holds (the host bundle and node are copied beside them). */
export function debTextFiles(): DebTextFile[] {
  const files: DebTextFile[] = [
    { path: DEB_HOST_LAUNCHER, content: execScript(posix.join(DEB_LIB_DIR, 'host.cjs')), mode: 0o755 },
    { path: DEB_CLI, content: execScript(posix.join(DEB_LIB_DIR, 'voispeed.cjs')), mode: 0o755 },
    { path: DEB_DESKTOP_FILE, content: desktopEntry(DEB_CLI, FROM_PACKAGE), mode: 0o644 },
    { path: DEB_SYSTEM_SETTINGS_EXAMPLE, content: `${systemFileExample()}\n`, mode: 0o644 },
  ];
  for (const browser of BROWSER_IDS) {
    files.push({
      path: posix.join(linuxSystemManifestDir(browser), MANIFEST_FILE_NAME),
      content: hostManifestText(browserFamily(browser), DEB_HOST_LAUNCHER),
      mode: 0o644,
    });
  }
  return files;
}

export interface DebControlInput {
  version: string;
  /** Sum of the installed files' sizes in bytes (dpkg wants KiB, rounded up). */
  installedBytes: number;
  nodeVersion: string;
}

/** Debian versions allow [0-9A-Za-z.+~-] and must start with a digit (Debian policy 5.6.12). */
export function debVersion(version: string): string {
  if (!/^[0-9][0-9A-Za-z.+~]*$/.test(version)) throw new InstallError(`not a version a Debian package can carry: ${JSON.stringify(version)}`);
  return version;
}

export function debControl({ version, installedBytes, nodeVersion }: DebControlInput): string {
  return [
    `Package: ${DEB_PACKAGE_NAME}`,
    `Version: ${debVersion(version)}`,
    'Architecture: amd64',
    'Maintainer: VOIspeed UI developers <voispeed-ui@voispeed.org>',
    `Installed-Size: ${Math.ceil(installedBytes / 1024)}`,
    // What the bundled Node binary links against (objdump -T: GLIBC_2.28, GLIBCXX_3.4.21).
    'Depends: libc6 (>= 2.28), libstdc++6 (>= 5.2), libgcc-s1 | libgcc1',
    'Recommends: xdg-utils, desktop-file-utils',
    'Section: comm',
    'Priority: optional',
    'Description: VOIspeed UI host: softphone and CTI for the VOIspeed browser extension',
    ' The native-messaging host of the VOIspeed UI browser extension (Chromium, Chrome, Edge,',
    ' Brave, Firefox): it registers with the SIP PBX, places and answers calls, runs the Integra',
    ' rules and the voispeed: links, and provides the voispeed command.',
    ` It runs on its own Node.js ${nodeVersion}, installed in ${DEB_LIB_DIR}.`,
    '',
  ].join('\n');
}
