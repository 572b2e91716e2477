import browser from 'webextension-polyfill';
import { t } from '../lib/i18n';
import type { BackgroundCapability } from './context';

const NOT_DIALABLE = 'hotkey-not-dialable';

const REASON_KEYS = {
  empty: 'hotkeyReasonEmpty',
  'no-selection': 'hotkeyReasonEmpty',
  'too-long': 'hotkeyReasonTooLong',
  'not-a-number': 'hotkeyReasonNotNumber',
  'tax-or-bank-code': 'hotkeyReasonTaxCode',
  'dial-failed': 'hotkeyReasonDialFailed',
} as const;

/**
 * The host's hotkeys as the options page shows them (grabbed, in use, unavailable and why), and
 * the notification when the dial hotkey found nothing to call.
 */
export const hotkeyStatus: BackgroundCapability = {
  name: 'hotkey-status',
  start({ native, store }) {
    native.onState((connection) => {
      if (connection.status !== 'connected') {
        store.update({ hotkeys: undefined });
        return;
      }
      native.request('hotkeys.status').then(
        (hotkeys) => store.update({ hotkeys }),
        () => undefined,
      );
    });
    native.on('hotkeys', (hotkeys) => store.update({ hotkeys }));
    native.on('hotkeys.not-dialable', ({ excerpt, reason, message }) => {
      const why = t(REASON_KEYS[reason], message ?? '');
      const manifest = browser.runtime.getManifest();
      // Some notification daemons read markup: brackets and ampersands become look-alikes.
      const quoted = excerpt.replace(/</g, '‹').replace(/>/g, '›').replace(/&/g, '＆');
      void browser.notifications
        .create(NOT_DIALABLE, {
          type: 'basic',
          iconUrl: browser.runtime.getURL(manifest.icons?.['128'] ?? 'extension/icons/icon-128.png'),
          title: t('hotkeyNotDialledTitle'),
          message: quoted ? t('hotkeyNotDialledSelection', [quoted, why]) : why,
        })
        .catch((e: unknown) => console.warn('hotkey notification', e));
    });
  },
};
