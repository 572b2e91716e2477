import type { CountryCode } from 'libphonenumber-js/core';
import { isSiteDisabled, loadDetectionSettings, watchDetectionSettings, type DetectionSettings } from '../lib/detection-settings';
import { NUMBERS_LIST_MAX, type NumbersListReply, type PageCallReply, type PageMessage } from '../lib/page-messages';
import { startDetector, type Detector } from './dom/detector';
import { pageOptedOut } from './dom/exclusions';
import { caretAt, numberAt } from './dom/hit-test';
import { HIGHLIGHT_NAME, liveRange, type NumberEntry } from './dom/number-registry';
import { formatMessage, PAGE_STRINGS_KEY, type MessageEntry } from '../lib/message-format';
import { api } from './extension-api';
import { startKeyboard } from './keyboard';
import { startPointer } from './pointer';
import { numberUnseen } from './click-guard';
import { FrameVisibility, inForeignFrame } from './dom/frame-shown';
import { Overlay } from './ui/overlay';

/**
 * The content script of every frame (all_frames): number detection, hover and trusted clicks on
 * numbers and call links, the `numbers.list` answer for the popup. Runs at document_idle.
 */
function main(): void {
  const g = globalThis as { __voispeedContent?: unknown };
  // An extension update can inject us again into a frame that already runs an older copy.
  if (g.__voispeedContent) return;

  const doc = document;
  const overlay = new Overlay(doc);
  let detector: Detector | undefined;
  let country: string | undefined;
  let off: NumbersListReply['off'];

  // The user's language (background/language.ts keeps these strings in storage); chrome.i18n,
  // which always follows the browser, until they are read.
  let strings: Record<string, MessageEntry> = {};
  const followStrings = (v: unknown) => (strings = v && typeof v === 'object' ? (v as Record<string, MessageEntry>) : {});
  api.storage.local.get(PAGE_STRINGS_KEY).then((s) => followStrings(s[PAGE_STRINGS_KEY]), () => undefined);
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes[PAGE_STRINGS_KEY]) followStrings(changes[PAGE_STRINGS_KEY].newValue);
  });
  const text = (key: string, subs?: string[]) => formatMessage(strings[key], subs) || api.i18n.getMessage(key, subs) || key;

  function apply(settings: DetectionSettings): void {
    off = pageOptedOut(doc) ? 'page' : isSiteDisabled(settings, location.hostname) ? 'site' : undefined;
    if (off || country !== settings.defaultCountry) {
      detector?.stop();
      detector = undefined;
      overlay.hideBox();
    }
    country = settings.defaultCountry;
    if (!off && !detector) detector = startDetector(doc, settings.defaultCountry as CountryCode);
  }

  // Why the last number or link judged under the pointer did not count as seen (diagnostics).
  let lastUnseen: string | undefined;
  const frame = inForeignFrame(window) ? new FrameVisibility(doc) : undefined;
  startPointer({
    frame,
    win: window,
    overlay,
    detector: () => detector,
    text,
    unseen: (why) => (lastUnseen = why),
    send: async (request) => (await api.runtime.sendMessage(request)) as PageCallReply,
  });

  startKeyboard({
    win: window,
    overlay,
    detector: () => detector,
    text,
    call: (request) =>
      void (api.runtime.sendMessage(request) as Promise<PageCallReply>).then(
        (reply) => overlay.toast(reply.text, reply.ok),
        (err: unknown) => overlay.toast(text('pageExtensionGone', [String((err as Error)?.message ?? err)]), false),
      ),
  });

  api.runtime.onMessage.addListener((raw, _sender, sendResponse) => {
    const message = raw as PageMessage;
    if (message?.type === 'page.toast') {
      // Only the frame that was right-clicked is addressed (frameId), so any frame may show it.
      overlay.toast(String(message.text).slice(0, 300), !!message.ok);
      return undefined;
    }
    // One answer per tab: the top frame's. Frames have their own lists; the popup asks the top.
    if (message?.type === 'numbers.list' && window === window.top) {
      const all = detector?.registry.list() ?? [];
      const reply: NumbersListReply = { url: location.href, numbers: all.slice(0, NUMBERS_LIST_MAX), total: all.length, ...(off ? { off } : {}) };
      sendResponse(reply);
    }
    return undefined;
  });

  // Diagnostics for the test harness and the benchmark; the isolated world is invisible to pages.
  g.__voispeedContent = {
    whenIdle: () => detector?.whenIdle() ?? Promise.resolve(),
    count: () => detector?.registry.size ?? 0,
    list: () => detector?.registry.list() ?? [],
    off: () => off,
    stats: () => detector?.stats(),
    /** The number the hover box shows, and why the last one judged was not counted as seen. */
    hovered: () => (overlay.current as { e164?: string } | undefined)?.e164 ?? null,
    unseen: () => lastUnseen ?? null,
    /** In a cross-origin frame: whether the browser last reported the frame shown. */
    frameShown: () => frame?.shown ?? null,
    /** How a click at (x, y) would be judged (click-guard.ts), and what the judging cost. */
    judge: (x: number, y: number, thorough = true) => {
      const t0 = performance.now();
      const hit = detector && numberAt(document, detector, x, y);
      const why = hit ? numberUnseen(document, hit.entry, x, y, { ours: (el) => overlay.isOverlay(el), shadowRoots: detector!.shadowRoots, thorough }) : 'not-at-point';
      return { e164: hit ? hit.entry.e164 : null, unseen: why ?? null, ms: performance.now() - t0 };
    },
    /**
     * The viewport sampled on a grid of points: the numbers hit-tested there, and how many of them
     * are in the page's highlight (the benchmark checks that numbers scrolled into view get theirs).
     */
    viewCoverage: () => {
      const t0 = performance.now();
      const seen = new Set<NumberEntry>();
      // Caret positions only (no slow path through an element's entries): cheap enough to poll.
      if (detector) {
        for (let gx = 0.5; gx < 16; gx++) {
          for (let gy = 0.5; gy < 16; gy++) {
            const x = (gx / 16) * innerWidth;
            const y = (gy / 16) * innerHeight;
            const caret = caretAt(document, x, y, detector.shadowRoots);
            const entry = caret && detector.registry.at(caret.node, caret.offset);
            if (!entry || seen.has(entry)) continue;
            const box = liveRange(entry)?.getBoundingClientRect();
            if (box && x >= box.left - 1 && x <= box.right + 1 && y >= box.top - 1 && y <= box.bottom + 1) seen.add(entry);
          }
        }
      }
      const highlight = typeof CSS !== 'undefined' ? CSS.highlights?.get(HIGHLIGHT_NAME) : undefined;
      const highlighted = [...seen].filter((e) => highlight?.has(e.range)).length;
      return { hits: seen.size, highlighted, size: highlight?.size ?? 0, ms: performance.now() - t0 };
    },
    /** What a click at viewport point (x, y) would call. */
    hit: (x: number, y: number) => (detector ? (numberAt(document, detector, x, y)?.entry.e164 ?? null) : null),
  };

  loadDetectionSettings(api.storage).then(
    (s) => {
      apply(s);
      watchDetectionSettings(api.storage, apply);
    },
    () => apply({ defaultCountry: 'IT', disabledSites: [] }),
  );
}

main();
