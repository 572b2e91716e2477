import { runHelper, type HookLike } from './helper';
import type { FromHelper, ToHelper } from './messages';

/**
 * Entry point of dist/host/hotkeys-helper.cjs, started by the host on Windows and macOS only.
 * uiohook-napi is a native addon, kept out of the bundle (scripts/build.mjs) and loaded here,
 * in this process alone: it aborts the process that loads it when it cannot start.
 */
if (!process.send) {
  process.stderr.write('hotkeys-helper: must be started by the VOIspeed host\n');
  process.exit(2);
}
const send = (m: FromHelper) => process.send!(m);
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { uIOhook } = require('uiohook-napi') as { uIOhook: HookLike };
  runHelper(uIOhook, { send, onMessage: (l) => process.on('message', (m) => l(m as ToHelper)) });
  // The host went away: so does the hook.
  process.on('disconnect', () => process.exit(0));
} catch (err) {
  send({ type: 'fatal', message: `cannot load uiohook-napi: ${(err as Error).message}` });
  process.exit(1);
}
