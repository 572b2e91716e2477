import type { Browser, Page } from 'puppeteer';
import { launchFirefox } from './firefox';

/**
 * Firefox ESR for media tests: like launchFirefox (firefox.ts), plus Firefox's own test switches:
 * a fake microphone playing a tone of our choice with no permission prompt, and loopback ICE
 * candidates as plain addresses rather than mDNS names.
 *
 * Not possible in a loopback-only namespace: ICE. Without a microphone permission on record
 * (the fake-stream switch records none) Firefox gathers only the default route's address, and
 * such a namespace has no route: "failed to find default addresses" in the nicer log
 * (MOZ_LOG=nicer:5). Neither media.peerconnection.ice.default_address_only=false nor
 * force_interface=lo changes that, and WebDriver BiDi cannot grant "microphone".
 *
 * Not possible here: hearing the audio. With no sound card Firefox never starts an AudioContext
 * (tried: ALSA's null device, the autoplay switches), so the test build's analyser stays deaf;
 * the tests count received RTP instead.
 */
export async function launchFirefoxForMedia(opts: { home: string; extensionDir: string; toneHz: number }): Promise<{ browser: Browser; base: string }> {
  return launchFirefox({
    home: opts.home,
    extensionDir: opts.extensionDir,
    prefs: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.navigator.audio.fake_frequency': opts.toneHz,
      'media.peerconnection.ice.loopback': true,
      // Plain addresses instead of mDNS names, which rtpengine cannot resolve.
      'media.peerconnection.ice.obfuscate_host_addresses': false,
    },
  });
}

/**
 * Calls into the background page's test hook (`__voispeedMedia`) from an extension page:
 * Firefox runs the media engine in the background page, which runtime.getBackgroundPage() reaches.
 * Results cross as JSON (they live in the background page's compartment).
 */
export function backgroundMedia(page: Page) {
  const run = (fn: string, args: unknown[]): Promise<{ ok?: unknown; error?: { code: number; message: string } }> =>
    page.evaluate(
      async (fn: string, args: unknown[]) => {
        const runtime = (globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<unknown> } } }).browser.runtime;
        const bg = (await runtime.getBackgroundPage()) as { __voispeedMedia: Record<string, (...a: unknown[]) => unknown> };
        try {
          return { ok: JSON.parse(JSON.stringify((await bg.__voispeedMedia[fn]!(...args)) ?? null)) };
        } catch (e) {
          return { error: { code: (e as { code: number }).code, message: (e as Error).message } };
        }
      },
      fn,
      args,
    );
  return {
    request: (method: string, params: unknown) => run('request', [method, params]),
    engine: (method: string, params: unknown = {}) => run('engine', [method, params]),
    events: async () => (await run('events', [])).ok as { pcId: string; type: string; candidate?: unknown; snapshot: Record<string, unknown> }[],
    closeAll: () => run('closeAll', []),
  };
}
