/**
 * Whether a cross-origin frame is shown as it is in the page around it. A frame's content script
 * cannot read the styles of a parent of another origin, and an opacity-0 iframe laid over a button
 * is the classic clickjacking. Chromium's IntersectionObserver v2 (`trackVisibility`) answers it:
 * `isVisible` is true only when no ancestor, in any frame, fades, filters or skews the target and
 * nothing else is painted over it. The target is the frame's root element, so its own content
 * (the number, our hover box) never counts as covering it.
 */

/** A frame whose parent this script cannot read (another origin, or a sandbox). */
export function inForeignFrame(win: Window): boolean {
  if (win === win.top) return false;
  try {
    return !win.frameElement;
  } catch {
    return true;
  }
}

type V2Init = IntersectionObserverInit & { trackVisibility: boolean; delay: number };

/**
 * true: shown; false: faded, covered or transformed somewhere up the frames; undefined: this
 * browser cannot tell (no IntersectionObserver v2, e.g. Firefox), the frame is judged inside only.
 */
export function frameShown(doc: Document, timeoutMs = 1000): Promise<boolean | undefined> {
  const win = doc.defaultView;
  const Entry = win?.IntersectionObserverEntry;
  const root = doc.documentElement;
  if (!win || !Entry || !('isVisible' in Entry.prototype) || !root) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: boolean) => {
      if (done) return;
      done = true;
      io.disconnect();
      resolve(v);
    };
    const io = new win.IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1] as (IntersectionObserverEntry & { isVisible?: boolean }) | undefined;
        finish(!!last?.isVisible);
      },
      { trackVisibility: true, delay: 100 } as V2Init,
    );
    io.observe(root);
    // No answer in time (the tab went to the background): not shown.
    win.setTimeout(() => finish(false), timeoutMs);
  });
}

/**
 * The same question kept answered while the pointer is over a cross-origin frame with numbers: a
 * click is judged by what the browser last reported, before the click, so a page that shows the
 * frame only once it is pressed gains nothing (the report comes ≥ 100 ms later). The observer
 * stops `idleMs` after the last pointer move, so idle frames pay nothing.
 */
export class FrameVisibility {
  private io: IntersectionObserver | undefined;
  private visible = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly supported: boolean;

  constructor(
    private readonly doc: Document,
    private readonly idleMs = 3000,
  ) {
    const Entry = doc.defaultView?.IntersectionObserverEntry;
    this.supported = !!Entry && 'isVisible' in Entry.prototype;
  }

  /** Pointer activity over a number: watch (again) and keep watching for a while. */
  touch(): void {
    const win = this.doc.defaultView;
    if (!this.supported || !win || !this.doc.documentElement) return;
    if (!this.io) {
      this.visible = false;
      this.io = new win.IntersectionObserver(
        (entries) => {
          const last = entries[entries.length - 1] as (IntersectionObserverEntry & { isVisible?: boolean }) | undefined;
          this.visible = !!last?.isVisible;
        },
        { trackVisibility: true, delay: 100 } as V2Init,
      );
      this.io.observe(this.doc.documentElement);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(), this.idleMs);
  }

  /** true: shown, as last reported; false: not shown or not reported yet; undefined: cannot tell. */
  get shown(): boolean | undefined {
    return this.supported ? !!this.io && this.visible : undefined;
  }

  stop(): void {
    this.io?.disconnect();
    this.io = undefined;
    this.visible = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
