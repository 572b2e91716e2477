import { call, ErrorCode } from '../../shared/protocol';
import { endCauseText } from './call-text';
import { t, type MessageKey } from './i18n';

/** Host errors the user sees, by code: the host's English message is only the fallback detail. */
const BY_CODE: Partial<Record<number, MessageKey>> = {
  [ErrorCode.NOT_REGISTERED]: 'errNotRegistered',
  [ErrorCode.NO_ACCOUNT]: 'errNoAccount',
  [ErrorCode.ALREADY_RUNNING]: 'errAlreadyRunning',
  [ErrorCode.TIMEOUT]: 'errTimeout',
  [ErrorCode.DISCONNECTED]: 'errDisconnected',
  [ErrorCode.NOT_RUNNING]: 'errDisconnected',
  [ErrorCode.INVALID_SETTINGS]: 'errInvalidSettings',
  [ErrorCode.SETTING_LOCKED]: 'errSettingLocked',
  [ErrorCode.INVALID_PARAMS]: 'errInvalidParams',
  [ErrorCode.INTERNAL]: 'errInternal',
  [ErrorCode.COLLEAGUE_NOT_RINGING]: 'errColleagueNotRinging',
  [ErrorCode.CONFERENCE_UNAVAILABLE]: 'errConferenceUnavailable',
};

/** Settings fields named in the user's language (the schema's path, e.g. account.wsUrls.0). */
const FIELDS: Record<string, MessageKey> = {
  'account.wsUrls': 'fieldWsUrls',
  'account.uri': 'fieldUri',
  'account.authUser': 'fieldAuthUser',
  'account.password': 'fieldPassword',
  'account.ha1': 'fieldHa1',
  'account.realm': 'fieldRealm',
  'account.displayName': 'fieldDisplayName',
  'account.extension': 'fieldExtension',
  'preferences.dialFormat.defaultCountry': 'fieldCountry',
  'preferences.dialFormat.outsideLinePrefix': 'fieldOutsidePrefix',
  'preferences.dialFormat.internationalPrefix': 'fieldIntlPrefix',
  'preferences.historySize': 'fieldHistorySize',
  'preferences.rtpPorts': 'fieldRtpPorts',
  'preferences.rtpPorts.min': 'fieldRtpPorts',
  'preferences.rtpPorts.max': 'fieldRtpPorts',
  'preferences.language': 'fieldLanguage',
  'preferences.colleagues': 'fieldColleagues',
  'preferences.pickupCode': 'fieldPickupCode',
  'preferences.voicemailNumber': 'fieldVoicemailNumber',
};

/** A settings field's label: `account.wsUrls.1` → "WebSocket URL". */
export function fieldLabel(field: string): string {
  const exact = FIELDS[field] ?? FIELDS[field.replace(/\.\d+$/, '')];
  return exact ? t(exact) : field;
}

export interface ErrorLike {
  message: string;
  code?: number | undefined;
  data?: unknown;
}

/** What to show for a failed action: translated by code, the host's detail kept where it helps. */
export function errorText(err: ErrorLike): string {
  if (err.code === ErrorCode.CALL_FAILED) {
    const data = err.data as { target?: unknown } | undefined;
    // A transfer's text is a sentence already; a call's reason is the end of one.
    return typeof data?.target === 'string' ? callFailedText(err) : t('errCallFailed', callFailedText(err));
  }
  const key = err.code !== undefined ? BY_CODE[err.code] : undefined;
  if (!key) return err.message;
  if (key === 'errInvalidSettings' || key === 'errSettingLocked') {
    const field = (err.data as { field?: unknown } | undefined)?.field;
    return t(key, typeof field === 'string' ? fieldLabel(field) : err.message);
  }
  if (key === 'errInvalidParams' || key === 'errInternal') return t(key, err.message);
  return t(key);
}

/**
 * Why a call or transfer did not start (CALL_FAILED), in the words the popup uses for how a call
 * ended: "no microphone found". Anything else: the translated error.
 */
export function callFailedText(err: ErrorLike): string {
  if (err.code !== ErrorCode.CALL_FAILED) return errorText(err);
  const data = (typeof err.data === 'object' && err.data !== null ? err.data : {}) as { end?: { reason?: unknown; code?: unknown }; target?: unknown; code?: unknown };
  if (typeof data.target === 'string') {
    const detail = typeof data.code === 'number' ? `SIP ${data.code}` : err.message;
    return t('errTransferFailed', [data.target.slice(0, 64), detail]);
  }
  const end = data.end;
  const reason = call.callEndReasonSchema.safeParse(end?.reason);
  if (reason.success) {
    const text = endCauseText({ reason: reason.data, ...(typeof end?.code === 'number' ? { code: end.code } : {}) });
    return t(text.key, text.subs);
  }
  return err.message;
}

/** JsSIP's registration causes (lib/Constants.js) in the user's language; anything else as it is. */
const CAUSES: Record<string, MessageKey> = {
  'Authentication Error': 'causeAuth',
  'Connection Error': 'causeConnection',
  'Request Timeout': 'causeTimeout',
  'SIP Failure Code': 'causeSipFailure',
  Unavailable: 'causeUnavailable',
};

/** Direct-SIP transport states, by code: translated, with the host's detail (the certificate's complaint) after it. */
const TRANSPORT_CODES: Partial<Record<number, MessageKey>> = {
  [ErrorCode.TLS_CERTIFICATE]: 'causeTls',
  [ErrorCode.SERVER_NOT_FOUND]: 'causeDns',
  [ErrorCode.TLS_HANDSHAKE_TIMEOUT]: 'causeTlsTimeout',
};

export function registrationCauseText(reg: { cause?: string | undefined; code?: number | undefined }): string {
  // The host's own states carry an error code: decided by it, never by the English text.
  const transport = reg.code !== undefined ? TRANSPORT_CODES[reg.code] : undefined;
  if (transport) return reg.cause ? `${t(transport)} (${reg.cause})` : t(transport);
  if (reg.code !== undefined) return errorText({ code: reg.code, message: reg.cause ?? '' });
  const cause = reg.cause ?? '';
  const key = CAUSES[cause];
  // JsSIP's own words stay in brackets: they are what support, logs and the README speak of.
  if (key) return `${t(key)} (${cause})`;
  return cause;
}
