import { callLinkScheme, type PageCallReply, type PageCallRequest } from '../lib/page-messages';
import type { Detector } from './dom/detector';
import { numberAt } from './dom/hit-test';
import type { NumberEntry } from './dom/number-registry';
import type { Overlay } from './ui/overlay';
import { focusedLinkUnseen, linkUnseen, numberUnseen, type GuardDeps } from './click-guard';
import type { Unseen } from './dom/painted';
import { frameShown, type FrameVisibility } from './dom/frame-shown';

export interface PointerDeps {
  win: Window;
  overlay: Overlay;
  detector(): Detector | undefined;
  send(request: PageCallRequest): Promise<PageCallReply>;
  text(key: string, subs?: string[]): string;
  /** In a cross-origin frame (dom/frame-shown.ts): whether the page around shows this frame. */
  frame?: FrameVisibility;
  /** Diagnostics: why the last judged number or link did not count as seen (undefined: it did). */
  unseen?(why: Unseen | undefined): void;
}

/** The link a click went to, if it is a call link (tel:, sip:, callto:, voispeed:). */
function callLinkOf(event: MouseEvent): string | undefined {
  for (const t of event.composedPath()) {
    const el = t as Element;
    if (el.nodeType !== 1 || el.localName !== 'a') continue;
    const href = el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? '';
    return callLinkScheme(href) ? href.trim() : undefined;
  }
  return undefined;
}

/** What a press or a click is on: a detected number or a call link. */
type Target = { kind: 'number'; entry: NumberEntry } | { kind: 'link'; link: Element; href: string };

/** The call link among an event's targets, if it is one (tel:, sip:, callto:, voispeed:). */
function callLinkElement(event: Event): { link: Element; href: string } | undefined {
  for (const t of event.composedPath()) {
    const el = t as Element;
    if (el.nodeType !== 1 || el.localName !== 'a') continue;
    const href = el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? '';
    return callLinkScheme(href) ? { link: el, href: href.trim() } : undefined;
  }
  return undefined;
}

const sameTarget = (a: Target, b: Target): boolean =>
  a.kind === 'number' ? b.kind === 'number' && a.entry.e164 === b.entry.e164 : b.kind === 'link' && a.href === b.href && a.link === b.link;

/**
 * Hover and click on numbers and call links. Only trusted clicks call (DESIGN section 8): a page
 * can run `el.click()`, dispatch events or set `location = 'tel:…'`, but none of those produces an
 * `isTrusted` click, so none reaches the host. A number is found by hit-testing the click point,
 * not by listeners on page nodes, so the page's DOM stays untouched.
 *
 * A trusted click is not enough either (issue 13): a hostile page can put a number or a tel: link
 * where the user clicks without the user seeing it, and turn an ordinary click into a call to a
 * number of its choosing. So a click calls only when the button went down and came up on the same
 * number or link, and it was seen both times (click-guard.ts: on top at the point, painted
 * readably). Otherwise nothing is dialled, nothing is shown, and a number's click goes on to the
 * page as if we were not there: the page is not told why.
 */
export function startPointer(d: PointerDeps): () => void {
  const { win, overlay } = d;
  const doc = win.document;
  let frame: number | undefined;
  let lastMove: { x: number; y: number } | undefined;
  /** What the primary button went down on, when it was seen there. */
  let press: Target | undefined;
  /** In a cross-origin frame: whether the page around shows the frame (undefined elsewhere). */
  const frameWatch = d.frame;
  /** The hover box's verdict for its entry (judged once per entry under the pointer). */
  let judged: { entry: NumberEntry; seen: boolean } | undefined;

  const guard = (detector: Detector | undefined, thorough = false): GuardDeps => ({
    ours: (el) => overlay.isOverlay(el),
    shadowRoots: detector?.shadowRoots ?? [],
    thorough,
  });

  const hover = () => {
    frame = undefined;
    const detector = d.detector();
    if (!lastMove || !detector) return overlay.hideBox();
    const { x, y } = lastMove;
    if (overlay.boxContains(x, y)) return;
    overlay.hideBox();
    const hit = numberAt(doc, detector, x, y);
    if (!hit) {
      judged = undefined;
      return;
    }
    // The badge only over a number one can read: it would otherwise invite a click on a hidden one.
    if (judged?.entry !== hit.entry) {
      // Thorough (a layer that lets clicks through hides it too), once per number the pointer enters.
      const why = numberUnseen(doc, hit.entry, x, y, guard(detector, true));
      judged = { entry: hit.entry, seen: !why };
      d.unseen?.(why);
    }
    if (judged.seen) overlay.showBox(hit.rect, d.text('pageCallTitle', [hit.entry.display]), hit.entry);
  };

  const onMove = (e: MouseEvent) => {
    lastMove = { x: e.clientX, y: e.clientY };
    // Over a cross-origin frame, keep its visibility known (numbers or call links may be clicked).
    frameWatch?.touch();
    if (frame === undefined) frame = win.requestAnimationFrame(hover);
  };
  const onScroll = () => {
    overlay.hideBox();
    judged = undefined;
  };

  const send = (request: PageCallRequest) => {
    d.send(request).then(
      (reply) => overlay.toast(reply.text, reply.ok),
      (err: unknown) => overlay.toast(d.text('pageExtensionGone', [String((err as Error)?.message ?? err)]), false),
    );
  };
  /**
   * Sends the call; in a cross-origin frame only when the browser last reported the frame shown
   * (Chromium; a browser that cannot tell judges inside the frame only).
   */
  const call = (request: PageCallRequest) => {
    if (frameWatch?.shown === false) return d.unseen?.('frame');
    send(request);
  };

  /**
   * The number or link at a pointer event, if it is seen there (else undefined). `thorough` at the
   * press (also through layers that let clicks through); the release only has to land on the same one.
   */
  const seenTarget = (e: MouseEvent, thorough: boolean): Target | undefined => {
    const found = callLinkElement(e);
    const detector = d.detector();
    if (found) {
      const why = linkUnseen(doc, found.link, e.clientX, e.clientY, guard(detector, thorough));
      d.unseen?.(why);
      return why ? undefined : { kind: 'link', ...found };
    }
    if (!detector) return undefined;
    // The hover box covers the number it shows: under it, the box's number is the one.
    const boxed = (overlay.isOverlay(e.target) || overlay.boxContains(e.clientX, e.clientY)) && (overlay.current as NumberEntry | undefined);
    const entry = boxed || numberAt(doc, detector, e.clientX, e.clientY)?.entry;
    if (!entry) return undefined;
    const why = numberUnseen(doc, entry, e.clientX, e.clientY, guard(detector, thorough));
    d.unseen?.(why);
    return why ? undefined : { kind: 'number', entry };
  };

  // Called by press-guard.ts, the first pointerdown listener of the frame (before any of the page's).
  const onPress = (e: PointerEvent) => {
    press = undefined;
    if (!e.isTrusted || e.button !== 0 || !e.isPrimary) return;
    // Only presses on a call link or a number are judged (the checks are for those alone).
    const detector = d.detector();
    if (!callLinkElement(e) && !(detector && (overlay.isOverlay(e.target) || numberAt(doc, detector, e.clientX, e.clientY)))) return;
    press = seenTarget(e, true);
  };

  const onClick = (e: MouseEvent) => {
    const pressed = press;
    press = undefined;
    // A page's synthetic click (el.click(), dispatchEvent) is never trusted: it does nothing here.
    if (!e.isTrusted) {
      // …and for our own scheme it must not reach the OS handler either (that is our CLI, which
      // would place the call): a page cannot click a voispeed: link on the user's behalf.
      const href = callLinkOf(e);
      if (href && callLinkScheme(href) === 'voispeed') e.preventDefault();
      return;
    }
    if (e.defaultPrevented) return;
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const found = callLinkElement(e);
    if (found) {
      // The OS handler is never asked, seen or not: the call goes through our host or nowhere.
      e.preventDefault();
      // Enter on a focused link: no pointer, so the link is judged where it is, thoroughly.
      if (e.detail === 0) {
        const why = focusedLinkUnseen(doc, found.link, guard(d.detector(), true));
        d.unseen?.(why);
        if (!why) {
          // No pointer over the frame: ask the browser now.
          if (frameWatch) void frameShown(doc).then((shown) => (shown === false ? d.unseen?.('frame') : send({ type: 'page.call', via: 'link', href: found.href })));
          else send({ type: 'page.call', via: 'link', href: found.href });
        }
        return;
      }
      const now = seenTarget(e, false);
      if (pressed && now && sameTarget(pressed, now)) call({ type: 'page.call', via: 'link', href: found.href });
      return;
    }
    const detector = d.detector();
    if (!detector || e.detail > 1) return;
    const selection = win.getSelection();
    // The user finished selecting text, not clicking.
    if (selection && !selection.isCollapsed && selection.toString().trim() && !overlay.isOverlay(e.target)) return;
    const now = seenTarget(e, false);
    if (!now || now.kind !== 'number' || !pressed || !sameTarget(pressed, now)) return;
    // The number is ours to handle: a row or card behind it must not also act on the click.
    e.preventDefault();
    e.stopImmediatePropagation();
    call({ type: 'page.call', via: 'number', number: now.entry.e164, display: now.entry.display });
  };

  const g = globalThis as { __voispeedPress?: (e: PointerEvent) => void; __voispeedPressGuard?: boolean };
  g.__voispeedPress = onPress;
  // Where the browser did not run press-guard.ts (it always should), listen here: later than the
  // page's own listeners, but a press is still needed for every click.
  const ownPress = !g.__voispeedPressGuard;
  if (ownPress) win.addEventListener('pointerdown', onPress, { capture: true, passive: true });
  win.addEventListener('click', onClick, true);
  win.addEventListener('mousemove', onMove, { capture: true, passive: true });
  win.addEventListener('scroll', onScroll, { capture: true, passive: true });
  return () => {
    if (g.__voispeedPress === onPress) delete g.__voispeedPress;
    if (ownPress) win.removeEventListener('pointerdown', onPress, true);
    frameWatch?.stop();
    win.removeEventListener('click', onClick, true);
    win.removeEventListener('mousemove', onMove, true);
    win.removeEventListener('scroll', onScroll, true);
    if (frame !== undefined) win.cancelAnimationFrame(frame);
  };
}
