import { contrast, over, parseColour, type Rgba } from './colour';

/**
 * Is a piece of text or an element really painted where it is, for a person to read? Used only for
 * the one number or link under a click or the pointer (never per number: a page with 10,000
 * numbers pays nothing). Each check reads computed styles of a short ancestor chain.
 */

/** Below this, text is not readable: opacity up the ancestor chain times the colour's alpha. */
export const MIN_ALPHA = 0.4;
/** Below this contrast with what is behind it (WCAG ratio, 1–21), text cannot be told apart. */
export const MIN_CONTRAST = 1.4;
/** Smallest text, in CSS pixels, counted as readable (font size and the line box on screen). */
export const MIN_TEXT_PX = 6;
/** A digit is at least this fraction of its line's height wide: narrower was squeezed together. */
const MIN_DIGIT_WIDTH = 0.2;

/** Why something does not count as seen; for diagnostics only, never told to the page. */
export type Unseen = 'hidden' | 'faint' | 'transparent' | 'tiny' | 'squeezed' | 'low-contrast' | 'covered' | 'not-at-point' | 'paints-nothing' | 'frame';

const VISIBILITY_OPTIONS = { opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true };

/** The parent in the rendered (flat) tree: a slot for slotted content, the host for a shadow root's children. */
export function flatParent(node: Node): Element | null {
  const slot = (node as Element | Text).assignedSlot;
  if (slot) return slot;
  if (node.parentElement) return node.parentElement;
  const parent = node.parentNode as ShadowRoot | null;
  return parent && parent.nodeType === 11 && parent.host ? parent.host : null;
}

/** Whether `inner` is `outer` or inside it, across shadow roots. */
export function composedContains(outer: Node, inner: Node): boolean {
  let n: Node | null = inner;
  for (let i = 0; n && i < 10_000; i++) {
    if (n === outer) return true;
    n = n.parentNode ?? ((n as ShadowRoot).host || null);
  }
  return false;
}

const style = (el: Element): CSSStyleDeclaration => el.ownerDocument.defaultView!.getComputedStyle(el);

/** How much a `filter` leaves of what it applies to: opacity() fades, strong blur or no contrast erases. */
function filterFactor(filter: string): number {
  if (!filter || filter === 'none') return 1;
  let f = 1;
  for (const m of filter.matchAll(/(opacity|contrast|blur)\(\s*([\d.]+)(%|px)?\s*\)/g)) {
    const v = Number(m[2]) / (m[3] === '%' ? 100 : 1);
    if (!Number.isFinite(v)) continue;
    if (m[1] === 'opacity') f *= Math.min(1, v);
    else if (m[1] === 'contrast' && v < 0.3) f = 0;
    else if (m[1] === 'blur' && v > 3) f = 0;
  }
  return f;
}

/** Opacity of `el` as painted: its own and every ancestor's (and their filters), multiplied. */
export function effectiveOpacity(el: Element): number {
  let o = 1;
  let e: Element | null = el;
  for (let i = 0; e && i < 1000 && o > 0.001; i++, e = flatParent(e)) {
    const cs = style(e);
    const own = Number.parseFloat(cs.opacity);
    o *= Number.isFinite(own) ? Math.min(1, Math.max(0, own)) : 1;
    o *= filterFactor(cs.filter);
  }
  return o;
}

/** checkVisibility (display, visibility, content-visibility, opacity 0) where the browser has it. */
export function rendered(el: Element): boolean {
  const check = (el as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility;
  return check ? check.call(el, VISIBILITY_OPTIONS) : true;
}

const REPLACED = new Set(['img', 'video', 'canvas', 'iframe', 'embed', 'object', 'svg', 'picture', 'input', 'textarea', 'select', 'button', 'meter', 'progress']);

function pseudoPaints(el: Element, which: '::before' | '::after'): boolean {
  const cs = el.ownerDocument.defaultView!.getComputedStyle(el, which);
  if (!cs.content || cs.content === 'none' || cs.content === 'normal') return false;
  return (parseColour(cs.backgroundColor)?.a ?? 1) > 0.05 || (!!cs.backgroundImage && cs.backgroundImage !== 'none');
}

/** Text of `el` itself (not of its children) whose box holds the point. */
function ownTextAt(el: Element, x: number, y: number): boolean {
  let n = 0;
  for (const child of el.childNodes) {
    if (child.nodeType !== 3 || !child.nodeValue?.trim()) continue;
    if (++n > 20) return true;
    const range = el.ownerDocument.createRange();
    range.selectNodeContents(child);
    for (const r of range.getClientRects()) if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return true;
  }
  return false;
}

/**
 * Whether an element that sits above something at (x, y) paints anything there: a background, an
 * image, a shadow, a replaced element, its own text, a decorated ::before/::after. An empty clear
 * layer (a common decoration that lets clicks through) paints nothing and hides nothing.
 */
export function paintsAt(el: Element, x: number, y: number): boolean {
  const cs = style(el);
  if (cs.visibility !== 'visible' || effectiveOpacity(el) < 0.05) return false;
  if (REPLACED.has(el.localName)) return true;
  if ((parseColour(cs.backgroundColor)?.a ?? 1) > 0.05) return true;
  if (cs.backgroundImage && cs.backgroundImage !== 'none') return true;
  if (cs.boxShadow && cs.boxShadow !== 'none') return true;
  const backdrop = cs.backdropFilter || (cs as unknown as { webkitBackdropFilter?: string }).webkitBackdropFilter;
  if (backdrop && backdrop !== 'none') return true;
  if (pseudoPaints(el, '::before') || pseudoPaints(el, '::after')) return true;
  return ownTextAt(el, x, y);
}

/** The colour the page shows where there is no background: the canvas, white unless a dark scheme. */
function canvasColour(doc: Document): Rgba {
  const scheme = doc.documentElement ? style(doc.documentElement).colorScheme || '' : '';
  const dark = /dark/.test(scheme) && (!/light/.test(scheme) || !!doc.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').matches);
  return dark ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
}

/**
 * The colour behind the text at a point: the backgrounds of the elements under it (top first, as
 * elementsFromPoint lists them) laid over each other down to an opaque one, or the canvas.
 * `undefined` when an image, a gradient or a replaced element is part of it: no single colour.
 */
export function backgroundOf(stack: Element[]): Rgba | undefined {
  const layers: Rgba[] = [];
  for (const el of stack) {
    const cs = style(el);
    if ((cs.backgroundImage && cs.backgroundImage !== 'none') || (REPLACED.has(el.localName) && el.localName !== 'button')) return undefined;
    const c = parseColour(cs.backgroundColor);
    if (!c || c.alphaOnly) return undefined;
    if (c.a > 0) layers.push(c);
    if (c.a >= 0.99) break;
  }
  const doc = stack[0]?.ownerDocument;
  let acc = layers.length && layers[layers.length - 1]!.a >= 0.99 ? layers.pop()! : doc ? canvasColour(doc) : { r: 255, g: 255, b: 255, a: 1 };
  for (let i = layers.length - 1; i >= 0; i--) acc = over(layers[i]!, acc);
  return acc;
}

/**
 * Whether the text in `el` is painted readably: rendered, not faded out, its colour not
 * transparent, its size not shrunk to nothing, its colour set apart from `background` (when that is
 * known). `boxes` are where the text is on screen (a range's client rects), `digits` how many
 * digits it holds.
 */
export function textUnseen(el: Element, boxes: DOMRect[], digits: number, background: Rgba | undefined): Unseen | undefined {
  if (!rendered(el)) return 'hidden';
  const cs = style(el);
  if (!(Number.parseFloat(cs.fontSize) >= MIN_TEXT_PX)) return 'tiny';
  let height = 0;
  let width = 0;
  for (const b of boxes) {
    height = Math.max(height, b.height);
    width += b.width;
  }
  if (boxes.length && height < MIN_TEXT_PX) return 'tiny';
  if (boxes.length && digits > 0 && width < digits * height * MIN_DIGIT_WIDTH) return 'squeezed';
  const opacity = effectiveOpacity(el);
  if (opacity < MIN_ALPHA) return 'faint';
  // What the glyphs are filled with: -webkit-text-fill-color wins over color where set.
  const fill = parseColour((cs as unknown as { webkitTextFillColor?: string }).webkitTextFillColor || cs.color);
  if (!fill) return undefined;
  if (fill.a * opacity < MIN_ALPHA) return 'transparent';
  if (!background || fill.alphaOnly) return undefined;
  const painted = over({ ...fill, a: fill.a * opacity }, background);
  return contrast(painted, background) < MIN_CONTRAST ? 'low-contrast' : undefined;
}
