import { PROCESS_NAMES, type SandboxStatus } from './status-file';
import { BOT_USERS, UI_USERS } from './users';

/** The human-readable `voispeed sandbox status`: what a developer needs to point a softphone at it. */
export function formatStatus(status: SandboxStatus | undefined, dir: string): string[] {
  if (!status) return [`sandbox: not created in ${dir} (run: voispeed sandbox start)`];
  const state = status.running
    ? 'running'
    : PROCESS_NAMES.some((n) => status.processes[n].alive)
      ? 'partly running (run: voispeed sandbox start, or stop)'
      : 'stopped';
  const p = status.ports;
  const lines = [
    `sandbox: ${state}`,
    `  folder     ${status.dir}`,
    `  domain     ${status.domain}`,
    `  websocket  ${status.wsUrl}`,
    `  sip/udp    ${status.sipUdpUri}`,
    `  trunk      ${status.trunkUri} (udp and tcp; INVITEs from 127.0.0.1 need no credentials, any caller id)`,
    `  rtpengine  ng udp:127.0.0.1:${p.rtpengineNg}, media ${p.rtpengineRtp.min}-${p.rtpengineRtp.max}`,
  ];
  for (const name of PROCESS_NAMES) {
    const proc = status.processes[name];
    const pid = proc.pid === null ? '-' : String(proc.pid);
    lines.push(`  ${name.padEnd(13)} ${(proc.alive ? 'up' : 'down').padEnd(5)} pid ${pid.padEnd(8)} ${proc.log}`);
  }
  lines.push('  users (user / password, realm = domain):');
  for (const u of UI_USERS) lines.push(`    ${u}  ${status.users[u].password}  WebSocket`);
  for (const u of BOT_USERS) {
    const user = status.users[u];
    lines.push(`    ${u}  ${user.password}  ${user.role}, ${user.toneHz} Hz tone, ctrl_tcp ${user.ctrl?.host}:${user.ctrl?.port}`);
  }
  lines.push(`  404, 480, 486 and 603 answer with that SIP status; other numbers go to 2001; its recordings: ${status.recordingsDir}`);
  return lines;
}
