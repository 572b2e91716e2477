import { OVERLAY_TAG } from '../dom/exclusions';

const STYLE = `
:host { all: initial; }
.box { position: fixed; pointer-events: auto; cursor: pointer; border-radius: 3px;
  background: rgba(25, 118, 210, 0.12); box-shadow: 0 0 0 1px rgba(25, 118, 210, 0.55); }
.box::after { content: ''; position: absolute; top: 50%; right: -20px; width: 16px; height: 16px; margin-top: -8px;
  border-radius: 50%; background: #1976d2 no-repeat center / 10px 10px url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath fill='white' d='M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2z'/%3E%3C/svg%3E"); }
.toast { position: fixed; right: 16px; bottom: 16px; max-width: 360px; padding: 10px 14px; border-radius: 6px;
  font: 13px/1.4 system-ui, sans-serif; color: #fff; background: #263238; box-shadow: 0 2px 8px rgba(0,0,0,.3);
  pointer-events: auto; }
.toast.error { background: #b71c1c; }
.focus { position: fixed; pointer-events: none; margin: 0; padding: 0; border: 0; border-radius: 3px; background: transparent;
  outline: 3px solid #1976d2; outline-offset: 1px; box-shadow: 0 0 0 5px rgba(255, 255, 255, 0.9); }
[hidden] { display: none !important; }
`;

/** Inline styles with !important beat the page's own rules for our host element. */
const HOST_STYLE =
  'all: initial !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important;' +
  ' height: 0 !important; z-index: 2147483647 !important; display: block !important; pointer-events: none !important;';

const TOAST_MS = 4000;

/**
 * Our only element in the page: a zero-size fixed host with a closed shadow root, holding the
 * hover affordance over a number and the toast that acknowledges a click. Created on first use,
 * so pages without numbers get nothing added.
 */
export class Overlay {
  private host: HTMLElement | undefined;
  private box: HTMLElement | undefined;
  private toastEl: HTMLElement | undefined;
  private focusEl: HTMLButtonElement | undefined;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the hover box currently covers. */
  current: unknown;

  constructor(private readonly doc: Document) {}

  isOverlay(target: EventTarget | null): boolean {
    return !!this.host && target === this.host;
  }

  private ensure(): void {
    if (this.host?.isConnected) return;
    const host = this.doc.createElement(OVERLAY_TAG);
    host.setAttribute('style', HOST_STYLE);
    const shadow = host.attachShadow({ mode: 'closed' });
    const style = this.doc.createElement('style');
    style.textContent = STYLE;
    const box = this.doc.createElement('div');
    box.className = 'box';
    box.hidden = true;
    const toast = this.doc.createElement('div');
    toast.className = 'toast';
    toast.setAttribute('role', 'status');
    toast.hidden = true;
    const focus = this.doc.createElement('button');
    focus.type = 'button';
    focus.className = 'focus';
    focus.hidden = true;
    shadow.append(style, box, toast, focus);
    (this.doc.documentElement ?? this.doc.body).append(host);
    this.host = host;
    this.box = box;
    this.toastEl = toast;
    this.focusEl = focus;
  }

  showBox(rect: DOMRect, title: string, what: unknown): void {
    this.ensure();
    const b = this.box!;
    b.style.left = `${rect.left - 2}px`;
    b.style.top = `${rect.top - 1}px`;
    b.style.width = `${rect.width + 4}px`;
    b.style.height = `${rect.height + 2}px`;
    b.title = title;
    b.hidden = false;
    this.current = what;
  }

  /** Whether the hover box is shown and covers the point. */
  boxContains(x: number, y: number): boolean {
    const b = this.box;
    if (!b || b.hidden) return false;
    const r = b.getBoundingClientRect();
    // The phone badge sticks out on the right.
    return x >= r.left && x <= r.right + 22 && y >= r.top && y <= r.bottom;
  }

  hideBox(): void {
    if (this.box && !this.box.hidden) this.box.hidden = true;
    this.current = undefined;
  }

  /**
   * The keyboard focus on a number (keyboard.ts): a real button over it, named for screen readers,
   * focused so the page's focus leaves wherever it was. Mouse clicks pass through it to the text.
   */
  showFocus(rect: DOMRect, label: string): HTMLButtonElement {
    this.ensure();
    const f = this.focusEl!;
    f.style.left = `${rect.left - 2}px`;
    f.style.top = `${rect.top - 1}px`;
    f.style.width = `${rect.width + 4}px`;
    f.style.height = `${rect.height + 2}px`;
    f.setAttribute('aria-label', label);
    f.hidden = false;
    f.focus({ preventScroll: true });
    return f;
  }

  hideFocus(): void {
    if (this.focusEl && !this.focusEl.hidden) this.focusEl.hidden = true;
  }

  toast(text: string, ok: boolean): void {
    this.ensure();
    const t = this.toastEl!;
    t.textContent = text;
    t.className = ok ? 'toast' : 'toast error';
    t.hidden = false;
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (t.hidden = true), TOAST_MS);
  }

  dispose(): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.host?.remove();
    this.host = undefined;
  }
}
