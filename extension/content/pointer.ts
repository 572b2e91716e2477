import { callLinkScheme, type PageCallReply, type PageCallRequest } from '../lib/page-messages';
import type { Detector } from './dom/detector';
import { numberAt } from './dom/hit-test';
import type { NumberEntry } from './dom/number-registry';
import type { Overlay } from './ui/overlay';

export interface PointerDeps {
  win: Window;
  overlay: Overlay;
  detector(): Detector | undefined;
  send(request: PageCallRequest): Promise<PageCallReply>;
  text(key: string, subs?: string[]): string;
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

/**
 * Hover and click on numbers and call links. Only trusted clicks call (DESIGN section 8): a page
 * can run `el.click()`, dispatch events or set `location = 'tel:…'`, but none of those produces an
 * `isTrusted` click, so none reaches the host. A number is found by hit-testing the click point,
 * not by listeners on page nodes, so the page's DOM stays untouched.
 */
export function startPointer(d: PointerDeps): () => void {
  const { win, overlay } = d;
  const doc = win.document;
  let frame: number | undefined;
  let lastMove: { x: number; y: number } | undefined;

  const hover = () => {
    frame = undefined;
    const detector = d.detector();
    if (!lastMove || !detector) return overlay.hideBox();
    const { x, y } = lastMove;
    if (overlay.boxContains(x, y)) return;
    overlay.hideBox();
    const hit = numberAt(doc, detector, x, y);
    if (hit) overlay.showBox(hit.rect, d.text('pageCallTitle', [hit.entry.display]), hit.entry);
  };

  const onMove = (e: MouseEvent) => {
    lastMove = { x: e.clientX, y: e.clientY };
    if (frame === undefined) frame = win.requestAnimationFrame(hover);
  };
  const onScroll = () => overlay.hideBox();

  const call = (request: PageCallRequest) => {
    d.send(request).then(
      (reply) => overlay.toast(reply.text, reply.ok),
      (err: unknown) => overlay.toast(d.text('pageExtensionGone', [String((err as Error)?.message ?? err)]), false),
    );
  };

  const onClick = (e: MouseEvent) => {
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
    const href = callLinkOf(e);
    if (href) {
      // The OS handler is not asked: the call goes through our host.
      e.preventDefault();
      call({ type: 'page.call', via: 'link', href });
      return;
    }
    const detector = d.detector();
    if (!detector || e.detail > 1) return;
    let entry: NumberEntry | undefined;
    // The hover box covers the number it shows; if it appeared between mousedown and mouseup the
    // click goes to a common ancestor instead of the box, so the point decides, not the target.
    if (overlay.isOverlay(e.target) || overlay.boxContains(e.clientX, e.clientY)) entry = overlay.current as NumberEntry | undefined;
    else {
      const selection = win.getSelection();
      // The user finished selecting text, not clicking.
      if (selection && !selection.isCollapsed && selection.toString().trim()) return;
      entry = numberAt(doc, detector, e.clientX, e.clientY)?.entry;
    }
    if (!entry) return;
    // The number is ours to handle: a row or card behind it must not also act on the click.
    e.preventDefault();
    e.stopImmediatePropagation();
    call({ type: 'page.call', via: 'number', number: entry.e164, display: entry.display });
  };

  win.addEventListener('click', onClick, true);
  win.addEventListener('mousemove', onMove, { capture: true, passive: true });
  win.addEventListener('scroll', onScroll, { capture: true, passive: true });
  return () => {
    win.removeEventListener('click', onClick, true);
    win.removeEventListener('mousemove', onMove, true);
    win.removeEventListener('scroll', onScroll, true);
    if (frame !== undefined) win.cancelAnimationFrame(frame);
  };
}
