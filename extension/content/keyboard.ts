import type { PageCallRequest } from '../lib/page-messages';
import type { Detector } from './dom/detector';
import { liveRange, type NumberEntry } from './dom/number-registry';
import type { Overlay } from './ui/overlay';
import { numberUnseen } from './click-guard';
import { frameShown, inForeignFrame } from './dom/frame-shown';

export interface KeyboardDeps {
  win: Window;
  overlay: Overlay;
  detector(): Detector | undefined;
  call(request: PageCallRequest): void;
  text(key: string, subs?: string[]): string;
}

/** Alt+Shift+N (⌥⇧N on a Mac): the physical key, so keyboard layouts and the Option key's characters do not matter. */
export function isNumbersShortcut(e: KeyboardEvent): boolean {
  return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyN';
}

/**
 * Keyboard access to detected numbers. Alt+Shift+N puts a focused button (our overlay's, named
 * "Call 02 6161 6161 with VOIspeed (1 of 12)…" for screen readers) on the first number in view;
 * ↓/→/Tab and ↑/←/Shift+Tab move through the numbers in document order, Home/End jump, Enter or
 * Space calls (a trusted key press, like a trusted click), Esc gives the focus back to where it was.
 * Only trusted key events count: a page cannot drive it.
 */
export function startKeyboard(d: KeyboardDeps): () => void {
  const { win, overlay } = d;
  let entries: NumberEntry[] = [];
  let index = -1;
  let returnFocus: Element | null = null;

  const rectOf = (entry: NumberEntry): DOMRect | undefined => {
    const rects = liveRange(entry)?.getClientRects();
    return rects && rects.length ? rects[0] : undefined;
  };

  /** The number's box in view (scrolled there if needed), when it is seen there (click-guard.ts). */
  /** Thorough: it runs once per key press, like a click's press. */
  function seenBox(entry: NumberEntry): DOMRect | undefined {
    let rect = rectOf(entry);
    // Wholly in view, or scrolled there: it is judged at its centre, which must be on screen.
    if (!rect || rect.top < 0 || rect.bottom > win.innerHeight || rect.left < 0 || rect.right > win.innerWidth) {
      entry.range.startContainer.parentElement?.scrollIntoView({ block: 'center', inline: 'nearest' });
      rect = rectOf(entry);
    }
    if (!rect) return undefined;
    const detector = d.detector();
    const guard = { ours: (el: Element) => overlay.isOverlay(el), shadowRoots: detector?.shadowRoots ?? [], thorough: true };
    return numberUnseen(win.document, entry, rect.left + rect.width / 2, rect.top + rect.height / 2, guard) ? undefined : rect;
  }

  /**
   * Focuses entry `i`, or the next one in direction `step` that is seen: a number the page hides
   * (faded out, transparent, covered) is skipped, so Enter never calls what the user cannot read.
   */
  function show(i: number, step: 1 | -1 = 1): void {
    let rect: DOMRect | undefined;
    for (; i >= 0 && i < entries.length; i += step) {
      rect = seenBox(entries[i]!);
      if (rect) break;
    }
    const entry = entries[i];
    if (!entry || !rect) {
      // Nothing seen that way: stay where we were, or leave when there was nowhere.
      if (index >= 0 && entries[index]) return;
      return leave(true);
    }
    index = i;
    const button = overlay.showFocus(rect, d.text('pageKeysItem', [entry.display, String(i + 1), String(entries.length)]));
    button.onkeydown = onKey;
    button.onkeyup = (e) => {
      // Space activates a button on key up: the call already went on key down.
      if (e.key === ' ') e.preventDefault();
    };
    button.onblur = () => {
      // Focus went elsewhere (a click, another window): the mode ends, the page keeps the focus.
      if (index >= 0) leave(false);
    };
  }

  function leave(restore: boolean): void {
    const back = returnFocus;
    index = -1;
    entries = [];
    returnFocus = null;
    overlay.hideFocus();
    if (restore && back && (back as HTMLElement).isConnected) (back as HTMLElement).focus?.({ preventScroll: true });
  }

  function onKey(e: KeyboardEvent): void {
    if (!e.isTrusted || index < 0) return;
    const last = entries.length - 1;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        next = Math.min(index + 1, last);
        break;
      case 'ArrowUp':
      case 'ArrowLeft':
        next = Math.max(index - 1, 0);
        break;
      case 'Tab':
        // Past either end the mode ends and Tab goes on through the page as usual.
        next = e.shiftKey ? index - 1 : index + 1;
        if (next < 0 || next > last) {
          leave(true);
          return;
        }
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        leave(true);
        return;
      case 'Enter':
      case ' ': {
        e.preventDefault();
        e.stopPropagation();
        const entry = entries[index];
        // Judged again: the page may have hidden it since it was focused.
        if (!entry || !entry.nodes.every((n) => n.isConnected) || !seenBox(entry)) return;
        const request = { type: 'page.call', via: 'number', number: entry.e164, display: entry.display } as const;
        // In a cross-origin frame, only once the page around is known to show the frame.
        if (!inForeignFrame(win)) d.call(request);
        else void frameShown(win.document).then((shown) => shown !== false && d.call(request));
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    show(next, next < index || e.key === 'End' ? -1 : 1);
  }

  function start(): void {
    const detector = d.detector();
    const all = detector ? detector.registry.ordered().filter((e) => e.nodes.every((n) => n.isConnected)) : [];
    if (!all.length) {
      overlay.toast(d.text('pageKeysNone'), false);
      return;
    }
    if (index < 0) returnFocus = win.document.activeElement;
    entries = all;
    // The first number in view, else the first of the page.
    const first = all.findIndex((entry) => {
      const r = rectOf(entry);
      return !!r && r.bottom >= 0 && r.top <= win.innerHeight;
    });
    index = -1;
    show(first >= 0 ? first : 0);
  }

  const onShortcut = (e: KeyboardEvent) => {
    if (!e.isTrusted || !isNumbersShortcut(e)) return;
    e.preventDefault();
    e.stopPropagation();
    start();
  };

  win.addEventListener('keydown', onShortcut, true);
  return () => {
    win.removeEventListener('keydown', onShortcut, true);
    leave(false);
  };
}
