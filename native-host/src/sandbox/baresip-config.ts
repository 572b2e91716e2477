import { LOOPBACK, type BotPorts } from './ports';
import { BOT_PROFILES, botRecordingsDir, type BotUser } from './users';

export interface BaresipConfigInput {
  user: BotUser;
  password: string;
  domain: string;
  ports: BotPorts;
  /** Kamailio's UDP port: the bot's outbound proxy, so no DNS lookup of the .test domain happens. */
  kamailioUdp: number;
  modulePath: string;
  /**
   * Folder for sndfile's recordings (only bots whose profile records), relative to the bot's
   * working directory (the sandbox folder): a baresip config value ends at the first space, and
   * the sandbox folder may have one (macOS "Application Support").
   */
  recordingsDir: string;
  /**
   * `ws` (default): PCMU only, what rtpengine hands the bot. `classic`: no relay in between, so the
   * bot takes a plain SIP caller's offer itself: G.711 µ-law and A-law (telephone-event is always on).
   */
  profile?: 'ws' | 'classic';
  /** The address to bind and register from (classic profile `--address`); 127.0.0.1 by default. */
  address?: string;
}

function value(v: string): string {
  if (/\s/.test(v)) throw new Error(`baresip config values cannot contain spaces: ${JSON.stringify(v)}`);
  return v;
}

/** Where Debian, Fedora and source builds put baresip's modules. */
export const BARESIP_MODULE_DIRS = [
  '/usr/lib/baresip/modules',
  '/usr/lib64/baresip/modules',
  '/usr/local/lib/baresip/modules',
  '/usr/lib/x86_64-linux-gnu/baresip/modules',
  '/usr/lib/aarch64-linux-gnu/baresip/modules',
];

/** baresip 1.0's `config` file (one `key value` per line). */
export function baresipConfig(input: BaresipConfigInput): string {
  const profile = BOT_PROFILES[input.user];
  const lines = [
    `# voispeed sandbox bot ${input.user} (${profile.role}). Generated at every start.`,
    `sip_listen ${input.address ?? LOOPBACK}:${input.ports.sip}`,
    // An address, not `lo`: baresip 1.0 picks no address from an interface name inside a netns.
    `net_interface ${input.address ?? LOOPBACK}`,
    `rtp_ports ${input.ports.rtp.min}-${input.ports.rtp.max}`,
    'rtp_stats no',
    `module_path ${value(input.modulePath)}`,
    'module g711.so',
    'module ausine.so',
    'module aubridge.so',
    ...(profile.records ? ['module sndfile.so'] : []),
    // The classic answering bot also takes SDES-SRTP (RTP/SAVP + a=crypto), as a PBX requiring SRTP on TLS does.
    ...(input.profile === 'classic' && profile.role === 'answering-bot' ? ['module srtp.so'] : []),
    'module_app account.so',
    // ctrl_tcp only carries commands; dial, hangup, reginfo... are defined by menu.
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen ${input.address ?? LOOPBACK}:${input.ports.ctrl}`,
    // ausine produces 48 kHz stereo only.
    `audio_source ausine,${profile.toneHz}`,
    'ausrc_srate 48000',
    'ausrc_channels 2',
    // No sound card: a bridge device nobody reads from is a null sink.
    'audio_player aubridge,nil',
    'audio_alert aubridge,nil',
    ...(profile.records ? [`snd_path ${value(botRecordingsDir(input.recordingsDir, input.user))}`] : []),
    'call_max_calls 4',
    '',
  ];
  return lines.join('\n');
}

/** baresip's `accounts` file: one line, auto-answering, G.711 only (see `profile`). */
export function baresipAccounts(input: BaresipConfigInput): string {
  if (!/^[A-Za-z0-9]+$/.test(input.password)) throw new Error('bot password must be letters and digits');
  const params = [
    `auth_pass=${input.password}`,
    `outbound="sip:${input.address ?? LOOPBACK}:${input.kamailioUdp}"`,
    'regint=600',
    'answermode=auto',
    input.profile === 'classic' ? 'audio_codecs=PCMU,PCMA' : 'audio_codecs=PCMU',
    // Best-effort SRTP: keys an RTP/SAVP offer with a=crypto, stays plain with a plain RTP/AVP one.
    ...(input.profile === 'classic' && BOT_PROFILES[input.user].role === 'answering-bot' ? ['mediaenc=srtp'] : []),
  ];
  return `<sip:${input.user}@${input.domain}>;${params.join(';')}\n`;
}

/** `-f <dir>` is also the marker that tells this bot apart from any other baresip. */
export function baresipLaunch(botDir: string): { args: string[]; marker: string } {
  return { marker: botDir, args: ['-4', '-f', botDir] };
}
