import { composedContains, effectiveOpacity, paintsAt, rendered, type Unseen } from './painted';

/**
 * What is painted at a point, above a target (the element holding a number's text, or a link).
 *
 * `elementsFromPoint` skips elements with `pointer-events: none`, which is exactly how a page lays
 * an opaque "Play video" picture over a number and still lets the click reach it. So for the one
 * look, a constructed style sheet turning pointer-events back on everywhere is adopted and removed
 * again within the same task: no mutation record, no event, nothing the page's scripts can see
 * (they do not run in between). Inline `pointer-events: none !important` outranks any style sheet,
 * and `inert` elements are never hit: both are looked up by selector and checked by their boxes.
 */

const FORCE_RULE = '*, *::before, *::after { pointer-events: auto !important; }';
const UNHITTABLE = '[style*="pointer-events" i], [inert]';
/** Most inline-styled or inert elements looked at (a page with thousands gets the first ones). */
const MAX_UNHITTABLE = 200;
/** Most shadow roots given the sheet as well (pages with thousands of components). */
const MAX_ROOTS = 200;

const sheets = new WeakMap<Document, CSSStyleSheet | null>();

function forceSheet(doc: Document): CSSStyleSheet | null {
  let sheet = sheets.get(doc);
  if (sheet !== undefined) return sheet;
  try {
    const Sheet = (doc.defaultView as (Window & typeof globalThis) | null)?.CSSStyleSheet;
    sheet = Sheet ? new Sheet() : null;
    sheet?.replaceSync(FORCE_RULE);
  } catch {
    sheet = null;
  }
  sheets.set(doc, sheet);
  return sheet;
}

/** Runs `look` with pointer-events turned on everywhere in `doc` and `roots`, then puts everything back. */
function withEverythingHittable<T>(doc: Document, roots: readonly ShadowRoot[], look: () => T): T {
  const sheet = forceSheet(doc);
  const undo: (() => void)[] = [];
  if (sheet) {
    for (const scope of [doc, ...roots.slice(0, MAX_ROOTS)] as (Document | ShadowRoot)[]) {
      try {
        // A copy: adoptedStyleSheets is a live array, which the assignment below would change too.
        const before = [...scope.adoptedStyleSheets];
        scope.adoptedStyleSheets = [...before, sheet];
        undo.push(() => (scope.adoptedStyleSheets = before));
      } catch {
        // A scope that refuses the sheet is looked at as it is; the selector check below still runs.
      }
    }
  }
  try {
    return look();
  } finally {
    for (const u of undo.reverse()) u();
  }
}

export interface OnTop {
  /** undefined: the target is what is seen at the point. */
  unseen?: Unseen;
  /** The elements at the point from the target's hit element down (its background). */
  below: Element[];
}

function walk(root: Document | ShadowRoot, x: number, y: number, target: Element, ours: (el: Element) => boolean, depth: number): OnTop {
  const list = root.elementsFromPoint(x, y);
  for (let i = 0; i < list.length; i++) {
    const el = list[i]!;
    if (ours(el)) continue;
    if (el === target || composedContains(target, el)) return { below: list.slice(i) };
    if (composedContains(el, target)) {
      // An ancestor before the target itself: a shadow host whose tree holds it, or the target is
      // not at this point at all.
      if (el.shadowRoot && el.shadowRoot !== root && depth < 32) return walk(el.shadowRoot, x, y, target, ours, depth + 1);
      return { unseen: 'not-at-point', below: [] };
    }
    if (paintsAt(el, x, y)) return { unseen: 'covered', below: [] };
  }
  return { unseen: 'not-at-point', below: [] };
}

/** Elements nothing can hit (inline pointer-events: none !important, inert) painted over the point. */
function unhittableCover(doc: Document, roots: readonly ShadowRoot[], x: number, y: number, target: Element, ours: (el: Element) => boolean): boolean {
  let n = 0;
  for (const scope of [doc, ...roots.slice(0, MAX_ROOTS)] as (Document | ShadowRoot)[]) {
    for (const el of scope.querySelectorAll(UNHITTABLE)) {
      if (++n > MAX_UNHITTABLE) return false;
      if (ours(el) || composedContains(el, target) || composedContains(target, el)) continue;
      const cs = el.ownerDocument.defaultView!.getComputedStyle(el);
      if (cs.pointerEvents !== 'none' && !el.hasAttribute('inert')) continue;
      const r = el.getBoundingClientRect();
      if (x < r.left || x > r.right || y < r.top || y > r.bottom) continue;
      if (rendered(el) && effectiveOpacity(el) >= 0.05 && paintsAt(el, x, y)) return true;
    }
  }
  return false;
}

/**
 * Whether `target` (or something inside it) is what is painted on top at viewport point (x, y) of
 * its document. `ours` says which elements are the extension's own (its hover box is over the
 * number on purpose). `roots` are the open shadow roots the detector knows.
 *
 * `throughClickThrough` also finds what lets clicks through (`pointer-events: none`): that look
 * costs the page a style recalculation of the whole document (bench/click-guard.bench.ts: ~8 ms
 * at 3,600 elements, ~90 ms at 36,000 here), so it is done at the press and when the pointer enters
 * a number, not at the release.
 */
export function onTop(
  doc: Document,
  roots: readonly ShadowRoot[],
  x: number,
  y: number,
  target: Element,
  ours: (el: Element) => boolean,
  throughClickThrough = false,
): OnTop {
  const plain = walk(doc, x, y, target, ours, 0);
  if (plain.unseen) return plain;
  if (unhittableCover(doc, roots, x, y, target, ours)) return { unseen: 'covered', below: [] };
  if (!throughClickThrough) return plain;
  const forced = withEverythingHittable(doc, roots, () => walk(doc, x, y, target, ours, 0));
  return forced.unseen ? forced : plain;
}
