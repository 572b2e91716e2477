// Builds voispeed-host_<version>_amd64.deb with dpkg-deb from the layout in
// native-host/src/install/deb-layout.ts (the one place that says what goes where).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NODE_VERSION, nodeRuntime } from './node-runtime.mjs';

/** The layout module, bundled so this plain-JS script can use the TypeScript source. */
async function loadLayout(root, work) {
  const outfile = join(work, 'deb-layout.mjs');
  await build({ entryPoints: [join(root, 'native-host/src/install/deb-layout.ts')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}

/** Reproducible: every file gets the time of the last commit (or SOURCE_DATE_EPOCH). */
function sourceDateEpoch(root) {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  const r = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? Number(r.stdout.trim()) : 0;
}

function walk(dir, visit) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, visit);
    visit(p, st);
  }
}

export async function buildDeb({ root, release, version }) {
  const work = join(release, '.deb-work');
  rmSync(work, { recursive: true, force: true });
  const stage = join(work, 'root');
  mkdirSync(stage, { recursive: true });
  const layout = await loadLayout(root, work);
  const put = (target) => {
    const p = join(stage, target);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  };
  for (const f of layout.debTextFiles()) {
    writeFileSync(put(f.path), f.content);
    chmodSync(join(stage, f.path), f.mode);
  }
  for (const name of layout.DEB_HOST_BUNDLE) {
    copyFileSync(join(root, 'dist/host', name), put(join(layout.DEB_LIB_DIR, name)));
    chmodSync(join(stage, layout.DEB_LIB_DIR, name), 0o644);
  }
  const node = nodeRuntime(root, 'linux');
  copyFileSync(join(node, 'bin/node'), put(layout.DEB_NODE));
  chmodSync(join(stage, layout.DEB_NODE), 0o755);
  copyFileSync(join(node, 'LICENSE'), put('/usr/share/doc/voispeed-host/node-LICENSE'));
  // Debian policy 12.5: every package names its copyright and licence here.
  writeFileSync(
    put('/usr/share/doc/voispeed-host/copyright'),
    [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'Upstream-Name: voispeed-ui',
      '',
      'Files: *',
      'Copyright: VOIspeed UI developers',
      'License: Apache-2.0',
      ' On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.',
      '',
      'Files: usr/lib/voispeed/node',
      `Comment: Node.js ${NODE_VERSION}, the official binary; its licence and those of its parts are in node-LICENSE.`,
      'Copyright: Node.js contributors and others',
      'License: Expat',
      '',
    ].join('\n'),
  );
  copyFileSync(join(root, 'README.md'), put('/usr/share/doc/voispeed-host/README.md'));

  let bytes = 0;
  walk(stage, (_p, st) => {
    if (st.isFile()) bytes += st.size;
  });
  mkdirSync(join(stage, 'DEBIAN'));
  writeFileSync(join(stage, 'DEBIAN/control'), layout.debControl({ version, installedBytes: bytes, nodeVersion: NODE_VERSION }));
  const epoch = sourceDateEpoch(root);
  walk(stage, (p) => utimesSync(p, epoch, epoch));
  utimesSync(stage, epoch, epoch);

  const name = `${layout.DEB_PACKAGE_NAME}_${layout.debVersion(version)}_amd64.deb`;
  const out = join(release, name);
  // xz at level 6 packs the 120 MB Node binary to about a third; --root-owner-group: root:root
  // files without fakeroot.
  const r = spawnSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, out], {
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) },
  });
  if (r.status !== 0) throw new Error(`dpkg-deb failed: ${(r.stderr || r.stdout).trim()}`);
  rmSync(work, { recursive: true, force: true });
  return name;
}
