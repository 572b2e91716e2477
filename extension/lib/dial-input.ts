import { DEFAULT_DIAL_FORMAT, DialStringError, toDialTarget, type DialFormat, type DialTarget } from '../../shared/phone/dial-string';
import type { MessageKey } from './i18n';

export type DialCheck =
  | { ok: true; target: DialTarget }
  | { ok: false; key: MessageKey; subs?: string[] };

/**
 * DialStringError speaks English (the host and CLI share it); the popup speaks the user's language,
 * so each known refusal maps to a catalogue key. The patterns follow dial-string.ts's messages and
 * dial-input.test.ts fails when those drift.
 */
const REFUSALS: [RegExp, MessageKey][] = [
  [/^nothing to dial$/, 'dialErrEmpty'],
  [/^too long/, 'dialErrTooLong'],
  [/control characters/, 'dialErrControl'],
  [/not a valid SIP address/, 'dialErrSip'],
  [/not a valid international number/, 'dialErrIntl'],
  [/is not a phone number/, 'dialErrNotNumber'],
];

/** What the dial box (or a transfer box) would call, or why it refuses to. */
export function checkDialInput(input: string, format: DialFormat = DEFAULT_DIAL_FORMAT): DialCheck {
  try {
    return { ok: true, target: toDialTarget(input, format) };
  } catch (e) {
    if (!(e instanceof DialStringError)) throw e;
    const key = REFUSALS.find(([re]) => re.test(e.message))?.[1];
    // An unmapped refusal still says why, in English, rather than nothing.
    return key ? { ok: false, key } : { ok: false, key: 'dialErrOther', subs: [e.message] };
  }
}
