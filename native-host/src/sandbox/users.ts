import { randomBytes } from 'node:crypto';

/**
 * A fixed, non-resolvable SIP domain (RFC 6761 `.test`): every sandbox uses the same AORs, so
 * tests and the UI can hard-code `sip:1001@sandbox.voispeed.test`; Kamailio treats it as its alias.
 */
export const SANDBOX_DOMAIN = 'sandbox.voispeed.test';

/** Extensions for the UI and tests: WebSocket clients (JsSIP). */
export const UI_USERS = ['1001', '1002', '1003', '1004'] as const;

/** The far ends, each a baresip process. */
export const BOT_USERS = ['2001', '3001'] as const;

export type UiUser = (typeof UI_USERS)[number];
export type BotUser = (typeof BOT_USERS)[number];
export type SandboxUserName = UiUser | BotUser;

/** Where any number that is not a local extension ends up, so every click reaches a real far end. */
export const ANSWERING_BOT: BotUser = '2001';

export interface BotProfile {
  role: 'answering-bot' | 'transfer-target';
  /** ausine frequency in Hz; distinct per bot so an audio test can tell which far end it hears. */
  toneHz: number;
  /**
   * Whether it records what it hears (sndfile writes dump-*-dec.wav): the answering bot into the
   * recordings folder, any other into a subfolder named after it (botRecordingsDir), so a test can
   * tell who heard what (issue 17: after an attended transfer, the target must hear the caller).
   */
  records: boolean;
}

export const BOT_PROFILES: Record<BotUser, BotProfile> = {
  '2001': { role: 'answering-bot', toneHz: 1000, records: true },
  '3001': { role: 'transfer-target', toneHz: 700, records: true },
};

/** Where a recording bot's files go: the answering bot's straight in the recordings folder (as always), others in `<folder>/<user>`. */
export function botRecordingsDir(recordingsDir: string, user: BotUser): string {
  return BOT_PROFILES[user].role === 'answering-bot' ? recordingsDir : `${recordingsDir}/${user}`;
}

export const ALL_USERS: readonly SandboxUserName[] = [...UI_USERS, ...BOT_USERS];

export type Passwords = Record<SandboxUserName, string>;

/**
 * Keeps the passwords of an earlier run so an account saved in the settings stays valid across
 * restarts; makes new ones only for users that have none. Letters and digits only: the password is
 * written into the baresip accounts line and the Kamailio config, where quotes or `;` would break it.
 */
export function ensurePasswords(previous?: Partial<Record<string, string>>): Passwords {
  const out = {} as Passwords;
  for (const user of ALL_USERS) {
    const old = previous?.[user];
    out[user] = old && /^[A-Za-z0-9]{8,64}$/.test(old) ? old : newPassword();
  }
  return out;
}

export function newPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let out = '';
  // 56 symbols: the modulo bias is irrelevant for a loopback-only test password.
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function aor(user: string, domain = SANDBOX_DOMAIN): string {
  return `sip:${user}@${domain}`;
}
