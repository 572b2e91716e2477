import * as z from 'zod';

/** The UI language: 'auto' follows the browser's. */
export const LANGUAGES = ['auto', 'en', 'it'] as const;
export type LanguagePref = (typeof LANGUAGES)[number];

/**
 * How numbers are sent to the PBX (shared/phone/dial-string.ts DialFormat): E.164 (+39…) or the
 * national form of the default country, each with an optional outside-line prefix.
 */
export const dialFormatSchema = z.lazy(() => z.strictObject({
  style: z.enum(['e164', 'national']).default('national'),
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as IT')
    .default('IT'),
  outsideLinePrefix: z
    .string()
    .regex(/^[0-9*#]{0,4}$/, 'must be up to 4 digits (or * #)')
    .optional(),
  internationalPrefix: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'must be 1 to 4 digits')
    .default('00'),
}));
export type DialFormatPref = z.infer<typeof dialFormatSchema>;

export const DEFAULT_HISTORY_SIZE = 10_000;

/**
 * The UDP ports the host's media gateway uses toward a plain SIP PBX (DESIGN section 11): one even
 * RTP port and the odd RTCP port above it per call. Open these in a firewall between host and PBX.
 */
export const rtpPortsSchema = z.lazy(() => z
  .strictObject({
    min: z.number().int('must be a whole number').min(1024, 'must be at least 1024').max(65534, 'must be at most 65534'),
    max: z.number().int('must be a whole number').min(1025, 'must be at least 1025').max(65535, 'must be at most 65535'),
  })
  .refine((r) => r.max - r.min >= 1, 'the range must hold at least one port pair (max > min)'));
export const DEFAULT_RTP_PORTS = { min: 16384, max: 16483 };

/** Everyday preferences: do-not-disturb, language, dialling format, history size (issue 8). */
export const preferencesSchema = z.lazy(() => z.strictObject({
  /** Incoming calls are rejected as busy (486) while on. */
  dnd: z.boolean().default(false),
  language: z.enum(LANGUAGES).default('auto'),
  dialFormat: dialFormatSchema.default({ style: 'national', defaultCountry: 'IT', internationalPrefix: '00' }),
  /** How many finished calls the history keeps. */
  historySize: z.number().int('must be a whole number').min(100, 'must be at least 100').max(100_000, 'must be at most 100000').default(DEFAULT_HISTORY_SIZE),
  /** The media gateway's RTP ports toward a plain SIP PBX. */
  rtpPorts: rtpPortsSchema.default(DEFAULT_RTP_PORTS),
  /** Colleagues' lamps (BLF): the extensions to watch, in the order shown; the host watches the first 100. */
  colleagues: z
    .array(z.string().regex(/^[A-Za-z0-9._+-]{1,32}$/, 'each colleague is an extension such as 1002 (letters, digits, . _ - +)'))
    .max(500, 'at most 500 colleagues')
    .default([]),
  /**
   * Pick-up of a ringing colleague: a feature code the PBX knows (\`**{ext}\` directed, \`*8\` group);
   * empty: an INVITE with Replaces from the colleague's dialog info (RFC 3891).
   */
  pickupCode: z
    .string()
    .regex(/^([0-9*#]{1,8}(\{ext\})?)?$/, 'digits, * and # (up to 8), optionally followed by {ext}, e.g. **{ext} or *8')
    .default(''),
  /** Intercom: answer calls that ask for it (Call-Info answer-after, Alert-Info auto answer) when no other call is up. */
  autoAnswer: z.boolean().default(false),
  /** The number the voicemail button calls; empty: the Message-Account the PBX names (RFC 3842). */
  voicemailNumber: z
    .string()
    .regex(/^[0-9*#+]{0,32}$/, 'digits, * # and + only (up to 32)')
    .default(''),
  /**
   * Calls we place on a TLS account (`sips:` or `;transport=tls`) offer SDES-SRTP (RTP/SAVP with
   * a=crypto) instead of plain RTP/AVP: some PBXs require SRTP on TLS. Off by default, because a
   * PBX without SRTP refuses such an offer outright (488), while plain RTP works everywhere.
   */
  srtpOnTls: z.boolean().default(false),
}));
export type Preferences = z.infer<typeof preferencesSchema>;
let defaultPreferencesValue: Preferences | undefined;
/** The section with every default filled in (its schema's), built on first use: one shared object, never changed. */
export const defaultPreferences = (): Preferences => (defaultPreferencesValue ??= preferencesSchema.parse({}));
