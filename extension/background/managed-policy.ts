import browser from 'webextension-polyfill';
import type { BackgroundCapability } from './context';

/**
 * The administrator's policy for this extension (issue 16): Chrome/Edge managed storage (schema:
 * managed-schema.json, generated from shared/settings/managed.ts), Firefox's policies.json
 * `3rdparty` → `Extensions` → our id. The host owns the settings and enforces the lock, so the
 * background only hands the policy over, whole, on every connection and on every change.
 */
export const managedPolicy: BackgroundCapability = {
  name: 'managed-policy',
  start({ native }) {
    const send = async () => {
      let policy: Record<string, unknown>;
      try {
        policy = await browser.storage.managed.get();
      } catch (err) {
        // Firefox rejects when policies.json has nothing for this add-on: that is no policy.
        policy = {};
        if (!/managed storage manifest not found|no managed/i.test(String(err))) console.warn('voispeed: managed storage unreadable', err);
      }
      const { refused } = await native.request('settings.managed', { policy });
      for (const r of refused) console.warn(`voispeed: managed setting ${r.key} refused: ${r.reason}`);
    };
    const sendLogged = () => void send().catch((err: unknown) => console.warn('voispeed: managed policy not delivered', err));
    native.onState((connection) => {
      if (connection.status === 'connected') sendLogged();
    });
    browser.storage.onChanged.addListener((_changes, area) => {
      if (area === 'managed' && native.state.status === 'connected') sendLogged();
    });
  },
};
