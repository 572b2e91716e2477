import browser from 'webextension-polyfill';
import { mediaMethods, type MediaMethodName } from '../../shared/protocol';
import { createBrowserEngine } from '../media/browser-engine';
import { AUDIO_DEVICES_KEY, parseDevicePrefs, type AudioDevicePrefs } from '../media/device-prefs';
import { LocalBackend } from '../media/local-backend';
import { OFFSCREEN_PATH } from '../media/offscreen-channel';
import { OffscreenBackend, type OffscreenApi, type PortLike } from '../media/offscreen-backend';
import { MediaRelay } from '../media/relay';
import type { PcEventData } from '../media/snapshot';
import type { BackgroundCapability } from './context';
import { openSetupPage } from './onboarding';

declare const __TEST_BUILD__: boolean;

const log = (message: string, err?: unknown) => console.warn(`[voispeed media] ${message}`, err ?? '');

/**
 * The media bridge's relay (DESIGN section 2): answers the host's `media.*` requests by running
 * them on the engine, pushes the engine's events to the host as `media.pc`, closes every peer
 * connection when the host disconnects, and hands the engine the user's audio devices (the
 * offscreen document cannot read storage). Chrome runs the engine in an offscreen document;
 * Firefox, which has no offscreen API, in this background page.
 */
export const mediaRelay: BackgroundCapability = {
  name: 'media-relay',
  start({ native, store }) {
    const offscreen = (globalThis as { chrome?: typeof chrome }).chrome?.offscreen;
    const recorded: PcEventData[] = [];
    const relay = new MediaRelay({
      backend: (hooks) => (offscreen ? new OffscreenBackend(chromeOffscreenApi(), hooks) : new LocalBackend(createBrowserEngine, hooks)),
      notify: (data) => {
        if (__TEST_BUILD__) recorded.push(data);
        native.notify('media.pc', data);
      },
      devices: loadDevices(),
      onMicDenied: () => void openSetupPage('mic-denied'),
      log,
    });
    for (const method of Object.keys(mediaMethods) as MediaMethodName[]) {
      native.handle(method, (params) => relay.handle(method, params) as never);
    }

    native.onState((state) => relay.connectionChanged(state.status === 'connected'));
    store.handle('media.prepare', () => relay.prepare());
    store.handle('media.warm', () => relay.warm());

    browser.storage.onChanged.addListener((changes, area) => {
      const change = changes[AUDIO_DEVICES_KEY];
      if (area === 'local' && change) relay.setDevices(parseDevicePrefs(change.newValue));
    });

    if (__TEST_BUILD__) {
      // The end-to-end tests drive the real relay path (the same handler the host's requests reach).
      (globalThis as { __voispeedMedia?: unknown }).__voispeedMedia = {
        request: (method: string, params: unknown) => relay.handle(method, params),
        engine: (method: string, params: unknown) => relay.backendForTests.call(method, params),
        events: () => recorded.slice(),
        closeAll: () => relay.closeAll(),
        live: () => relay.livePcIds,
        creations: () => (relay.backendForTests as Partial<OffscreenBackend>).creations ?? 0,
      };
    }
  },
};

async function loadDevices(): Promise<AudioDevicePrefs> {
  const stored = await browser.storage.local.get(AUDIO_DEVICES_KEY);
  return parseDevicePrefs(stored[AUDIO_DEVICES_KEY]);
}

function chromeOffscreenApi(): OffscreenApi {
  const documentUrl = chrome.runtime.getURL(OFFSCREEN_PATH);
  return {
    documentUrl,
    async hasDocument() {
      const contexts = await chrome.runtime.getContexts({
        contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType],
        documentUrls: [documentUrl],
      });
      return contexts.length > 0;
    },
    createDocument: () =>
      chrome.offscreen.createDocument({
        url: OFFSCREEN_PATH,
        reasons: ['USER_MEDIA', 'WEB_RTC', 'AUDIO_PLAYBACK'] as chrome.offscreen.Reason[],
        justification: 'Phone calls: microphone, WebRTC audio and the ringtone.',
      }),
    closeDocument: () => chrome.offscreen.closeDocument(),
    onConnect: (listener) => chrome.runtime.onConnect.addListener((port) => listener(port as unknown as PortLike)),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
