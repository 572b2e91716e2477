import { DialStringError, toDialTarget, type DialFormat } from '../../shared/phone/dial-string';
import { parseVoispeedUrl, VoispeedUrlError } from '../../shared/voispeed-url';
import { dialRefusalText, urlRefusalText } from './refusal-text';
import type { CountryCode } from 'libphonenumber-js/max';
import { selectionToNumber, type SelectionRefusal } from '../../shared/phone/selection';
import { t } from './i18n';
import { callLinkScheme } from './page-messages';

/** What a clicked link or number asks the host to do, already validated and normalised. */
export type PageIntent =
  | { kind: 'dial'; number: string; display: string; extId?: string }
  | { kind: 'hangup'; callId?: string }
  | { kind: 'forward'; target: string; callId?: string }
  /** voispeed:U: only proposed to the host; the user confirms it on the extension's own page. */
  | { kind: 'configure'; user: string; domain: string; ha1: string; extension: string; wsUrls: string[] }
  | { kind: 'refused'; reason: string };

const MAX_HREF = 512;

/** tel:/callto: bodies carry RFC 3966 parameters (";ext=", ";phone-context=") and separators. */
function telBody(href: string): { number: string; ext?: string } {
  let body = href.replace(/^\s*[a-z]+:/i, '');
  // Skype's callto://+39… form.
  if (body.startsWith('//')) body = body.slice(2).replace(/\/$/, '');
  body = decodeURIComponent(body);
  const [number = '', ...params] = body.split(';');
  const ext = params.map((p) => /^ext=([0-9*#]{1,10})$/i.exec(p.trim())?.[1]).find(Boolean);
  return ext ? { number, ext } : { number };
}

/**
 * Turns a call link's href (tel:, callto:, sip:, sips:, voispeed:) into what the host should do.
 * Never throws: anything unusable becomes `refused` with a reason the user can read, in the UI
 * language (the page toast shows it as "Not called: <reason>").
 */
export function intentFromHref(href: string, format: DialFormat): PageIntent {
  if (href.length > MAX_HREF) return { kind: 'refused', reason: t('pageLinkTooLong') };
  const scheme = callLinkScheme(href);
  try {
    switch (scheme) {
      case 'tel':
      case 'callto': {
        const { number } = telBody(href);
        const t = toDialTarget(number, format);
        return { kind: 'dial', number: t.dial, display: t.display };
      }
      case 'sip':
      case 'sips': {
        // Header and parameter parts of a SIP URI are the page's, not ours to pass on.
        const uri = decodeURIComponent(href.trim()).split(/[?;]/)[0]!;
        const t = toDialTarget(uri, format);
        return { kind: 'dial', number: t.dial, display: t.display };
      }
      case 'voispeed': {
        const command = parseVoispeedUrl(href.trim());
        switch (command.kind) {
          case 'call': {
            const t = toDialTarget(command.number, format);
            return { kind: 'dial', number: t.dial, display: t.display, ...(command.extId ? { extId: command.extId } : {}) };
          }
          case 'hangup':
            return command.callId ? { kind: 'hangup', callId: command.callId } : { kind: 'hangup' };
          case 'forward':
            return command.callId ? { kind: 'forward', target: command.target, callId: command.callId } : { kind: 'forward', target: command.target };
          case 'configure':
            // DESIGN section 6: never applied from here; it becomes a proposal the user confirms.
            return { kind: 'configure', user: command.user, domain: command.domain, ha1: command.ha1, extension: command.extension, wsUrls: [...command.wsUrls] };
        }
        break;
      }
      default:
        return { kind: 'refused', reason: t('pageNotPhoneLink') };
    }
  } catch (err) {
    // decodeURIComponent's URIError only says "URI malformed", in English whatever the UI language.
    if (err instanceof URIError) return { kind: 'refused', reason: t('pageBadEscape') };
    if (err instanceof DialStringError) return { kind: 'refused', reason: dialRefusalText(err) };
    if (err instanceof VoispeedUrlError) return { kind: 'refused', reason: urlRefusalText(err) };
    throw err;
  }
  return { kind: 'refused', reason: t('pageNotPhoneLink') };
}

/** A number found in text (E.164 from the detector, or a selection) → what the PBX is asked to call. */
export function intentFromNumber(text: string, format: DialFormat): PageIntent {
  try {
    const target = toDialTarget(text, format);
    if (target.kind !== 'number') return { kind: 'refused', reason: t('pageNotPhoneNumber') };
    return { kind: 'dial', number: target.dial, display: target.display };
  } catch (err) {
    if (err instanceof DialStringError) return { kind: 'refused', reason: dialRefusalText(err) };
    throw err;
  }
}

/** Why a selection is not called, for the page toast (the hotkeys' notification gives the same reasons). */
function selectionRefusal(reason: SelectionRefusal): string {
  switch (reason) {
    case 'empty':
      return t('pageSelectionEmpty');
    case 'too-long':
      return t('pageSelectionTooLong');
    case 'tax-or-bank-code':
      return t('pageSelectionTaxCode');
    case 'not-a-number':
      return t('pageNotPhoneNumber');
  }
}

/**
 * "Call selection": decided by the same rule as the dial hotkey (shared/phone/selection.ts, with
 * the page's number traps): the first real number in the selected text (so "Tel. 02 6161 6161
 * (uff.)" works), else the selection itself when it is an extension or short code ("204").
 */
export function intentFromSelection(selection: string, format: DialFormat): PageIntent {
  const result = selectionToNumber(selection, format.defaultCountry as CountryCode);
  if (!result.ok) return { kind: 'refused', reason: selectionRefusal(result.reason) };
  return intentFromNumber(result.number, format);
}
