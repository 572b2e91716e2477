import type { DialRefusal, DialStringError } from '../../shared/phone/dial-string';
import type { VoispeedUrlError, VoispeedUrlErrorReason } from '../../shared/voispeed-url';
import { t, type MessageKey } from './i18n';

/**
 * Why a page link or number is not called, in the UI language. The parsers' errors speak English
 * (the host and the CLI print them); the page toast keys on their stable reason codes instead, so a
 * toast is never half English. Fragments: the toast reads "Not called: <fragment>".
 */
const URL_REFUSALS: Record<VoispeedUrlErrorReason, MessageKey> = {
  empty: 'pageUrlEmpty',
  'too-long': 'pageUrlTooLong',
  'bad-scheme': 'pageUrlBadScheme',
  'bad-percent-encoding': 'pageBadEscape',
  'control-character': 'pageUrlControl',
  'unknown-command': 'pageUrlUnknownCommand',
  'missing-fields': 'pageUrlMissingFields',
  'extra-fields': 'pageUrlExtraFields',
  'bad-number': 'pageUrlBadNumber',
  'bad-ext-id': 'pageUrlBadExtId',
  'bad-call-id': 'pageUrlBadCallId',
  'bad-target': 'pageUrlBadTarget',
  'bad-user': 'pageUrlBadAccount',
  'bad-domain': 'pageUrlBadAccount',
  'bad-md5': 'pageUrlBadMd5',
  'bad-extension': 'pageUrlBadExtension',
  'bad-ws-url': 'pageUrlBadServer',
};

const DIAL_REFUSALS: Record<DialRefusal, MessageKey> = {
  empty: 'pageDialEmpty',
  'too-long': 'pageDialTooLong',
  control: 'pageDialControl',
  'bad-sip': 'pageDialSip',
  'bad-international': 'pageDialIntl',
  'not-a-number': 'pageNotPhoneNumber',
};

export function urlRefusalText(err: VoispeedUrlError): string {
  return t(URL_REFUSALS[err.reason]);
}

export function dialRefusalText(err: DialStringError): string {
  return t(DIAL_REFUSALS[err.refusal]);
}
