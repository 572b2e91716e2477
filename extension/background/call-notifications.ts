import browser from 'webextension-polyfill';
import type { CallInfo, CallState } from '../../shared/protocol';
import { failureReason, isMissed, remoteParty } from '../lib/call-text';
import { t } from '../lib/i18n';
import type { BackgroundCapability } from './context';

const INCOMING = 'incoming:';
const MISSED = 'missed:';
const FAILED = 'failed:';
const ANSWER_BUTTON = 0;
const DECLINE_BUTTON = 1;

/** Chrome's options beyond the polyfill's (Firefox) types; Firefox refuses them, so only Chrome gets them. */
type ChromeOptions = browser.Notifications.CreateNotificationOptions & {
  buttons?: { title: string }[];
  requireInteraction?: boolean;
};

/**
 * Caller-controlled text for a notification. Some Linux notification daemons read the body as
 * markup, so angle brackets and ampersands become look-alikes that mean nothing there.
 */
function inert(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›').replace(/&/g, '＆');
}

/** Who is calling, short: the name when there is one (the number then goes below), else the number. */
function caller(call: CallInfo): { who: string; number: string | undefined; company: string | undefined } {
  const { name, number, company } = remoteParty(call);
  const who = inert(name ?? (number || t('callAnonymous')));
  return { who, number: name && number ? inert(number) : undefined, company: company ? inert(company) : undefined };
}

export interface NotificationChanges {
  /** Calls that just started ringing. */
  ring: CallInfo[];
  /** Calls whose incoming notification must go: answered, declined, ended or gone. */
  unring: string[];
  /** Incoming calls that just ended without an answer. */
  missed: CallInfo[];
  /** Calls that just failed before the answer (no microphone, no browser, refused by the PBX, …). */
  failed: CallInfo[];
}

/** What the notifications must do, from the states last seen and the calls now. */
export function notificationChanges(seen: ReadonlyMap<string, CallState>, calls: readonly CallInfo[]): NotificationChanges {
  const now = new Map(calls.map((c) => [c.id, c]));
  return {
    ring: calls.filter((c) => c.state === 'ringing-in' && seen.get(c.id) !== 'ringing-in'),
    unring: [...seen].filter(([id, s]) => s === 'ringing-in' && now.get(id)?.state !== 'ringing-in').map(([id]) => id),
    // A call first seen already ended (after a reconnect) was never ours to announce.
    missed: calls.filter((c) => {
      const before = seen.get(c.id);
      return before !== undefined && before !== 'ended' && isMissed(c);
    }),
    // The host sends ended calls only as they end (its call list holds live ones), so a failure
    // first seen already ended is news too: a call that failed before its first event got here.
    failed: calls.filter((c) => seen.get(c.id) !== 'ended' && failureReason(c) !== undefined),
  };
}

/**
 * Desktop notifications for calls: "Incoming call from …" while a call rings (Answer / Decline
 * buttons in Chromium; Firefox has no buttons, so a click opens the phone in a small window),
 * "Missed call from …" when one stops ringing unanswered.
 */
export const callNotifications: BackgroundCapability = {
  name: 'call-notifications',
  start({ store }) {
    const firefox = store.state.browser === 'firefox';
    const manifest = browser.runtime.getManifest();
    const iconUrl = browser.runtime.getURL(manifest.icons?.['128'] ?? 'extension/icons/icon-128.png');
    const phoneUrl = browser.runtime.getURL(manifest.action?.default_popup ?? 'extension/popup/index.html');
    // create() is asynchronous: a clear() that overtakes it would leave a ghost notification behind.
    const pending = new Map<string, Promise<unknown>>();
    const after = (id: string, step: () => Promise<unknown>) => {
      const next = (pending.get(id) ?? Promise.resolve()).then(step).catch((e: unknown) => console.warn('notification', id, e));
      pending.set(id, next);
      void next.then(() => pending.get(id) === next && pending.delete(id));
    };

    // What each ringing call's notification says: a name found later (issue 18) updates it.
    const shown = new Map<string, string>();
    const ringOptions = (call: CallInfo): ChromeOptions => {
      const { who, number, company } = caller(call);
      return {
        type: 'basic',
        iconUrl,
        title: t('notifIncoming', who),
        message: [company, number, t(firefox ? 'notifClickHint' : 'notifAnswerHint')].filter(Boolean).join('\n'),
        ...(firefox
          ? {}
          : { buttons: [{ title: t('notifAnswer') }, { title: t('notifDecline') }], requireInteraction: true, priority: 2 }),
      };
    };
    const ring = (call: CallInfo) => {
      const options = ringOptions(call);
      shown.set(call.id, `${options.title}\n${options.message}`);
      after(INCOMING + call.id, () => browser.notifications.create(INCOMING + call.id, options));
    };
    const rename = (call: CallInfo) => {
      const options = ringOptions(call);
      const text = `${options.title}\n${options.message}`;
      if (shown.get(call.id) === text) return;
      shown.set(call.id, text);
      // Chrome updates in place; Firefox has no update(), and create() with the same id replaces.
      const notifications = browser.notifications as unknown as { update?: (id: string, o: ChromeOptions) => Promise<boolean> };
      after(INCOMING + call.id, () => (notifications.update ? notifications.update(INCOMING + call.id, options) : browser.notifications.create(INCOMING + call.id, options)));
    };
    const missed = (call: CallInfo) => {
      const { who, number } = caller(call);
      const at = new Date(call.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      after(MISSED + call.id, () =>
        browser.notifications.create(MISSED + call.id, {
          type: 'basic',
          iconUrl,
          title: t('notifMissed', who),
          message: [number, at].filter(Boolean).join(' · '),
        }),
      );
    };
    const failed = (call: CallInfo) => {
      const { who } = caller(call);
      const why = failureReason(call)!;
      after(FAILED + call.id, () =>
        browser.notifications.create(FAILED + call.id, { type: 'basic', iconUrl, title: t(call.direction === 'in' ? 'notifFailedIn' : 'notifFailed', who), message: t(why.key, why.subs) }),
      );
    };
    const clear = (id: string) => after(id, () => browser.notifications.clear(id));

    let seen = new Map<string, CallState>();
    store.subscribe(({ calls }) => {
      const changes = notificationChanges(seen, calls);
      seen = new Map(calls.map((c) => [c.id, c.state]));
      for (const id of changes.unring) {
        shown.delete(id);
        clear(INCOMING + id);
      }
      for (const call of changes.ring) ring(call);
      for (const call of calls) if (call.state === 'ringing-in' && shown.has(call.id) && !changes.ring.includes(call)) rename(call);
      for (const call of changes.missed) missed(call);
      for (const call of changes.failed) failed(call);
    });

    let phoneWindow: number | undefined;
    browser.windows?.onRemoved.addListener((id) => {
      if (id === phoneWindow) phoneWindow = undefined;
    });
    const openPhone = async () => {
      if (phoneWindow !== undefined) {
        try {
          await browser.windows.update(phoneWindow, { focused: true });
          return;
        } catch {
          phoneWindow = undefined;
        }
      }
      phoneWindow = (await browser.windows.create({ url: phoneUrl, type: 'popup', width: 380, height: 600 })).id;
    };

    const callOf = (notificationId: string) => (notificationId.startsWith(INCOMING) ? notificationId.slice(INCOMING.length) : undefined);
    // Firefox defines no button events at all.
    browser.notifications.onButtonClicked?.addListener((notificationId, button) => {
      const id = callOf(notificationId);
      if (id === undefined || (button !== ANSWER_BUTTON && button !== DECLINE_BUTTON)) return;
      store.dispatch({ type: button === ANSWER_BUTTON ? 'answer' : 'decline', id }).catch((e: unknown) => console.warn('notification action', e));
    });
    browser.notifications.onClicked.addListener((notificationId) => {
      if (callOf(notificationId) !== undefined) void openPhone().catch((e: unknown) => console.warn('phone window', e));
      else if (notificationId.startsWith(MISSED) || notificationId.startsWith(FAILED)) clear(notificationId);
    });
  },
};
