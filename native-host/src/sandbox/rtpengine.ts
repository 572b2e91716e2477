import { LOOPBACK, type SandboxPorts } from './ports';

export interface RtpengineLaunch {
  args: string[];
  /** The argv element that identifies this sandbox's rtpengine (its pid file path). */
  marker: string;
}

/**
 * Userspace-only rtpengine on loopback (NOTES-ENV.md): `-t -1` needs no kernel module, so it runs
 * unprivileged and inside a network namespace. The pid file is only there to put the sandbox path
 * in argv, which is how `stop` recognises the process.
 */
export function rtpengineLaunch(ports: SandboxPorts, pidFile: string): RtpengineLaunch {
  const marker = `--pidfile=${pidFile}`;
  return {
    marker,
    args: [
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      '--table=-1',
      `--interface=${LOOPBACK}`,
      `--listen-ng=${LOOPBACK}:${ports.rtpengineNg}`,
      `--port-min=${ports.rtpengineRtp.min}`,
      `--port-max=${ports.rtpengineRtp.max}`,
      // Free ports at once after BYE: the range is small and tests place calls back to back.
      '--delete-delay=0',
      '--num-threads=2',
      // Level 6 logs every ng command (offer/answer/delete) and its SDP: what one reads when media fails.
      '--log-level=6',
      marker,
    ],
  };
}
