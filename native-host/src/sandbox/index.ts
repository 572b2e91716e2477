/**
 * The sandbox PBX: Kamailio + rtpengine + baresip bots on 127.0.0.1, in one folder.
 * Used by `voispeed sandbox start|stop|status`, `npm start` and the end-to-end tests.
 */
export { readSandboxStatus, startSandbox, stopSandbox, type StartOptions } from './sandbox';
export type { SandboxProcess, SandboxProfile, SandboxStatus, SandboxUser, ProcessName } from './status-file';
export type { AnySandboxStatus, ClassicSandboxStatus, ClassicSipUris, SandboxAccount } from './status-classic';
export type { BotPorts, ClassicPorts, PortRange, SandboxPorts } from './ports';
export { KAMAILIO_LOG_PATTERNS } from './kamailio-config';
export { ANSWERING_BOT, BOT_PROFILES, SANDBOX_DOMAIN, UI_USERS, BOT_USERS } from './users';
