import { DEFAULT_DIAL_FORMAT, DialStringError, toDialTarget, type DialFormat, type DialRefusal, type DialTarget } from '../../shared/phone/dial-string';
import type { MessageKey } from './i18n';

export type DialCheck =
  | { ok: true; target: DialTarget }
  | { ok: false; key: MessageKey; subs?: string[] };

/**
 * DialStringError speaks English (the host and CLI share it); the popup speaks the user's language,
 * so each refusal (a code, never the English words) maps to a catalogue key.
 */
const REFUSALS: Record<DialRefusal, MessageKey> = {
  empty: 'dialErrEmpty',
  'too-long': 'dialErrTooLong',
  control: 'dialErrControl',
  'bad-sip': 'dialErrSip',
  'bad-international': 'dialErrIntl',
  'not-a-number': 'dialErrNotNumber',
};

/** What the dial box (or a transfer box) would call, or why it refuses to. */
export function checkDialInput(input: string, format: DialFormat = DEFAULT_DIAL_FORMAT): DialCheck {
  try {
    return { ok: true, target: toDialTarget(input, format) };
  } catch (e) {
    if (!(e instanceof DialStringError)) throw e;
    return { ok: false, key: REFUSALS[e.refusal] };
  }
}
