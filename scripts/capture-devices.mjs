// Whether this machine has an audio capture device Chromium could open. `npm start` uses it to
// start Chromium with its fake audio devices on a machine without one (a server, a container, a VM
// without sound): otherwise every demo call fails with "no microphone found". Node built-ins only:
// it runs before `npm ci` has.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {{ platform?: string, devSnd?: string, runtimeDir?: string | undefined }} [o]
 * @returns {{ present: boolean, why: string }}
 */
export function captureDevices(o = {}) {
  const platform = o.platform ?? process.platform;
  // macOS and Windows machines practically always have one, and there is nothing to read cheaply.
  if (platform !== 'linux') return { present: true, why: `not Linux (${platform}): assumed present` };
  const devSnd = o.devSnd ?? '/dev/snd';
  let pcms = [];
  try {
    pcms = readdirSync(devSnd).filter((f) => /^pcmC\d+D\d+c$/.test(f));
  } catch {
    // No /dev/snd at all: no ALSA devices.
  }
  if (pcms.length > 0) return { present: true, why: `ALSA capture ${pcms.join(', ')}` };
  // A sound server may offer sources of its own (Bluetooth, network, virtual): leave it to Chromium.
  const runtimeDir = 'runtimeDir' in o ? o.runtimeDir : process.env.XDG_RUNTIME_DIR;
  for (const socket of runtimeDir ? ['pulse/native', 'pipewire-0'] : []) {
    if (existsSync(join(runtimeDir, socket))) return { present: true, why: `sound server ${socket}` };
  }
  return { present: false, why: `no ALSA capture device in ${devSnd} and no sound server` };
}

/**
 * The demo Chromium's command line (`npm start`). Without a capture device every call would fail
 * with "no microphone found": Chromium's fake devices then give it a beeping microphone, so the
 * demo's calls connect and carry audio both ways (the permission is still asked, as for a real one).
 * @param {{ profile: string, extensionDir: string, url: string, noSandbox: boolean, captureDevice: boolean }} o
 * @returns {string[]}
 */
export function demoChromiumArgs(o) {
  return [
    `--user-data-dir=${o.profile}`,
    `--disable-extensions-except=${o.extensionDir}`,
    `--load-extension=${o.extensionDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--allow-loopback-in-peer-connection',
    ...(o.captureDevice ? [] : ['--use-fake-device-for-media-stream']),
    ...(o.noSandbox ? ['--no-sandbox'] : []),
    o.url,
  ];
}
