import browser from 'webextension-polyfill';
import { DEFAULT_DIAL_FORMAT, type DialFormat } from '../../shared/phone/dial-string';
import type { CountryCode } from 'libphonenumber-js/max';
import { intentFromHref, intentFromNumber, type PageIntent } from '../lib/call-link';
import { loadDetectionSettings, watchDetectionSettings, type StorageLike } from '../lib/detection-settings';
import { callFailedText, type ErrorLike } from '../lib/error-text';
import { t } from '../lib/i18n';
import type { NumbersListReply, PageCallReply, PageMessage, RecentPageCall } from '../lib/page-messages';
import { RateLimiter } from '../lib/rate-limit';
import type { NativePort } from './native-port';
import type { BackgroundCapability } from './context';

const RECENT_MAX = 20;

/** A message really comes from one of our content scripts in a web page tab, not from an extension page. */
export function isContentScriptSender(sender: browser.Runtime.MessageSender, ownId: string, ownUrl: string): boolean {
  if (sender.id !== ownId) return false;
  if (!sender.tab || typeof sender.tab.id !== 'number' || sender.tab.id < 0) return false;
  if (typeof sender.frameId !== 'number') return false;
  const url = sender.url ?? '';
  return !url.startsWith(ownUrl);
}

export function isExtensionPageSender(sender: browser.Runtime.MessageSender, ownId: string, ownUrl: string): boolean {
  return sender.id === ownId && (sender.url ?? '').startsWith(ownUrl);
}

export interface PageCallDeps {
  native: Pick<NativePort, 'request'>;
  format(): DialFormat;
  limiter: RateLimiter;
  record(entry: RecentPageCall): void;
}

/** Runs what a page (or the context menu) asked for; the answer is what the user reads in the toast. */
export async function runIntent(
  intent: PageIntent,
  via: RecentPageCall['via'],
  limiterKey: string,
  d: PageCallDeps,
): Promise<PageCallReply> {
  const done = (ok: boolean, text: string, request: string): PageCallReply => {
    d.record({ at: Date.now(), via, request, ok, text });
    return { ok, text };
  };
  if (intent.kind === 'refused') return done(false, t('pageRefused', [intent.reason]), '');
  const what =
    intent.kind === 'dial'
      ? `dial ${intent.number}${intent.extId ? `,${intent.extId}` : ''}`
      : intent.kind === 'forward'
        ? `forward ${intent.target}`
        : intent.kind === 'configure'
          ? `configure ${intent.user}@${intent.domain}`
          : 'hangup';
  const verdict = d.limiter.check(limiterKey, what);
  if (!verdict.ok) {
    const text = verdict.why === 'duplicate' && intent.kind === 'dial' ? t('pageDuplicate', [intent.display]) : t('pageTooFast');
    return done(false, text, what);
  }
  const source = via === 'context-menu' ? 'context-menu' : 'page';
  try {
    switch (intent.kind) {
      // C, D and F run through the host's one execution of a voispeed: command (voispeed.run).
      case 'dial':
        await d.native.request('voispeed.run', { command: { kind: 'call', number: intent.number, ...(intent.extId ? { extId: intent.extId } : {}) }, source });
        return done(true, t('pageCalling', [intent.display]), what);
      case 'hangup':
        await d.native.request('voispeed.run', { command: { kind: 'hangup', ...(intent.callId ? { callId: intent.callId } : {}) }, source });
        return done(true, t('pageHangingUp'), what);
      case 'forward':
        await d.native.request('voispeed.run', { command: { kind: 'forward', target: intent.target, ...(intent.callId ? { callId: intent.callId } : {}) }, source });
        return done(true, t('pageForwarding', [intent.target]), what);
      case 'configure': {
        // The host keeps the proposal and pushes it back; account-proposal.ts opens the confirmation page.
        const { kind: _kind, ...fields } = intent;
        await d.native.request('account.propose', { ...fields, source: 'page' });
        return done(true, t('pageConfirmAccount', [`${intent.user}@${intent.domain}`]), what);
      }
    }
  } catch (err) {
    // Translated by code (a call that did not start says why: no microphone, no browser, …).
    const reason = callFailedText(err as ErrorLike);
    return done(false, intent.kind === 'dial' ? t('pageCallFailed', [intent.display, reason]) : t('pageActionFailed', [reason]), what);
  }
}

/** Shared with context-menu.ts: one limiter, one recent list, one dial format for all page calls. */
export function createPageCallDeps(native: Pick<NativePort, 'request'>): PageCallDeps & { recent: RecentPageCall[] } {
  const storage = browser.storage as unknown as StorageLike;
  let country: string = DEFAULT_DIAL_FORMAT.defaultCountry;
  void loadDetectionSettings(storage).then((s) => (country = s.defaultCountry), () => undefined);
  watchDetectionSettings(storage, (s) => (country = s.defaultCountry));
  const recent: RecentPageCall[] = [];
  return {
    native,
    recent,
    format: () => ({ ...DEFAULT_DIAL_FORMAT, defaultCountry: country as CountryCode }),
    // Double clicks and bursts: the same thing twice within 3 s, anything within 0.7 s, 20 a minute.
    limiter: new RateLimiter({ minIntervalMs: 700, duplicateWindowMs: 3000, perMinute: 20 }),
    record: (e) => {
      recent.push(e);
      if (recent.length > RECENT_MAX) recent.shift();
    },
  };
}

let shared: ReturnType<typeof createPageCallDeps> | undefined;
export function pageCallDeps(native: NativePort): ReturnType<typeof createPageCallDeps> {
  shared ??= createPageCallDeps(native);
  return shared;
}

/**
 * Calls asked for by content scripts on a trusted click (numbers and call links). The content
 * script already refused untrusted clicks; here the sender is checked again, bursts are limited
 * and the request is normalised before it reaches the host as `call.dial` (source 'page').
 */
export const pageCalls: BackgroundCapability = {
  name: 'page-calls',
  start({ native, store }) {
    const deps = pageCallDeps(native);
    // The popup's list of the page's numbers: a click there calls like a click on the page (source
    // 'page', same per-tab limit), and only a number the page's top frame lists right now.
    store.handle('page.dial', async (a) => {
      const listed = (await browser.tabs.sendMessage(a.tabId, { type: 'numbers.list' }, { frameId: 0 }).catch(() => undefined)) as NumbersListReply | undefined;
      const intent: PageIntent = listed?.numbers.some((n) => n.e164 === a.number)
        ? intentFromNumber(a.number, deps.format())
        : { kind: 'refused', reason: t('pageNotListed') };
      const reply = await runIntent(intent, 'popup', `tab:${a.tabId}`, deps);
      if (!reply.ok) throw new Error(reply.text);
    });
    const ownId = browser.runtime.id;
    const ownUrl = browser.runtime.getURL('');
    browser.runtime.onMessage.addListener((raw: unknown, sender: browser.Runtime.MessageSender) => {
      const m = raw as PageMessage;
      if (m?.type === 'page-calls.recent') {
        return isExtensionPageSender(sender, ownId, ownUrl) ? Promise.resolve(deps.recent.slice()) : undefined;
      }
      if (m?.type !== 'page.call') return undefined;
      if (!isContentScriptSender(sender, ownId, ownUrl)) return Promise.resolve({ ok: false, text: t('pageRefused', [t('pageNotFromPage')]) });
      let intent: PageIntent;
      if (m.via === 'number' && typeof m.number === 'string' && m.number.length <= 64) intent = intentFromNumber(m.number, deps.format());
      else if (m.via === 'link' && typeof m.href === 'string') intent = intentFromHref(m.href, deps.format());
      else intent = { kind: 'refused', reason: t('pageMalformed') };
      return runIntent(intent, m.via === 'link' ? 'link' : 'number', `tab:${sender.tab!.id}`, deps);
    });
  },
};
