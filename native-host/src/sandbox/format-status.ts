import type { AnySandboxStatus } from './status-classic';
import type { SandboxProcess } from './status-file';
import { BOT_USERS, UI_USERS } from './users';

/** The human-readable `voispeed sandbox status`: what a developer needs to point a softphone at it. */
export function formatStatus(status: AnySandboxStatus | undefined, dir: string): string[] {
  if (!status) return [`sandbox: not created in ${dir} (run: voispeed sandbox start)`];
  const procs = Object.entries(status.processes) as Array<[string, SandboxProcess]>;
  const state = status.running
    ? 'running'
    : procs.some(([, p]) => p.alive)
      ? 'partly running (run: voispeed sandbox start, or stop)'
      : 'stopped';
  const lines = [`sandbox: ${state}${status.profile === 'classic' ? ' (classic profile: SIP over UDP, TCP and TLS, plain RTP)' : ''}`, `  folder     ${status.dir}`, `  domain     ${status.domain}`];
  if (status.profile === 'classic') {
    lines.push(
      `  sip/udp    ${status.sipUris.udp}`,
      `  sip/tcp    ${status.sipUris.tcp}`,
      `  sip/tls    ${status.sipUris.tls} (trust the CA ${status.caFile})`,
      `  untrusted  ${status.sipUris.tlsUntrusted} (self-signed: a verifying client must refuse it)`,
      `  trunk      ${status.trunkUri} (udp and tcp; INVITEs from 127.0.0.1 need no credentials, any caller id)`,
    );
  } else {
    const p = status.ports;
    lines.push(
      `  websocket  ${status.wsUrl}`,
      `  sip/udp    ${status.sipUdpUri}`,
      `  trunk      ${status.trunkUri} (udp and tcp; INVITEs from 127.0.0.1 need no credentials, any caller id)`,
      `  rtpengine  ng udp:127.0.0.1:${p.rtpengineNg}, media ${p.rtpengineRtp.min}-${p.rtpengineRtp.max}`,
    );
  }
  for (const [name, proc] of procs) {
    const pid = proc.pid === null ? '-' : String(proc.pid);
    lines.push(`  ${name.padEnd(13)} ${(proc.alive ? 'up' : 'down').padEnd(5)} pid ${pid.padEnd(8)} ${proc.log}`);
  }
  lines.push('  users (user / password, realm = domain):');
  const how = status.profile === 'classic' ? 'SIP (udp, tcp, tls)' : 'WebSocket';
  for (const u of UI_USERS) lines.push(`    ${u}  ${status.users[u].password}  ${how}`);
  for (const u of BOT_USERS) {
    const user = status.users[u];
    lines.push(`    ${u}  ${user.password}  ${user.role}, ${user.toneHz} Hz tone, ctrl_tcp ${user.ctrl?.host}:${user.ctrl?.port}`);
  }
  lines.push(`  404, 480, 486 and 603 answer with that SIP status; other numbers go to 2001; its recordings: ${status.recordingsDir}`);
  return lines;
}
