// Preloaded with NODE_OPTIONS=--require into the launcher and the host daemon a browser starts:
// holds each one's start-up for VOISPEED_TEST_LAUNCHER_DELAY_MS / VOISPEED_TEST_HOST_DELAY_MS,
// as a loaded machine does (measured: several seconds for both under the full suite). Only the
// start is delayed; everything after runs at full speed.
const script = process.argv[1] || '';
const ms = /host-daemon\.cjs$/.test(script)
  ? Number(process.env.VOISPEED_TEST_HOST_DELAY_MS || 0)
  : /host\.cjs$/.test(script)
    ? Number(process.env.VOISPEED_TEST_LAUNCHER_DELAY_MS || 0)
    : 0;
if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
