/**
 * Declarative rules for where numbers are never looked for (issue 4, DESIGN section 7): form
 * fields, editable text, code and markup that is not prose, existing links, and anything a site
 * marked with the opt-out class. A rejected element's whole subtree is skipped.
 */
export const NO_DETECT_CLASS = 'voispeed-no-detect';
/** Our own overlay element; never scanned. */
export const OVERLAY_TAG = 'voispeed-ui';

const SKIPPED_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'textarea', 'input', 'select', 'option', 'optgroup', 'datalist', 'button',
  'svg', 'math', 'a', 'area', 'head', 'title', 'iframe', 'frame', 'object', 'embed', 'canvas', 'video', 'audio', 'img',
  'code', 'kbd', 'samp', 'var', OVERLAY_TAG,
]);

const HTML_NS = 'http://www.w3.org/1999/xhtml';

export function isExcludedElement(el: Element): boolean {
  if (SKIPPED_TAGS.has(el.localName)) return true;
  // Every DOM call from a content script's isolated world costs; most elements have no attributes.
  if (!el.hasAttributes()) return false;
  // SVG and MathML content (and anything else foreign) is not prose.
  if (el.namespaceURI !== HTML_NS) return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable !== 'false') return true;
  if (el.classList.contains(NO_DETECT_CLASS)) return true;
  const role = el.getAttribute('role');
  return role === 'textbox' || role === 'combobox' || role === 'searchbox';
}

/** For a node that changed: is it, or any ancestor up to its root, excluded? */
export function isInsideExcluded(node: Node): boolean {
  for (let n: Node | null = node.nodeType === 1 ? node : node.parentNode; n && n.nodeType === 1; n = n.parentNode) {
    if (isExcludedElement(n as Element)) return true;
  }
  return false;
}

/** `<meta name="voispeed-ui" content="no-detect">`: the site asks for no detection at all. */
export function pageOptedOut(doc: Document): boolean {
  if (doc.designMode === 'on') return true;
  const root = doc.documentElement;
  if (root?.classList.contains(NO_DETECT_CLASS) || doc.body?.classList.contains(NO_DETECT_CLASS)) return true;
  for (const meta of doc.querySelectorAll('meta[name]')) {
    if (meta.getAttribute('name')?.toLowerCase() !== 'voispeed-ui') continue;
    if ((meta.getAttribute('content') ?? '').toLowerCase().split(/[\s,]+/).includes('no-detect')) return true;
  }
  return false;
}

/**
 * Elements that flow inline with their neighbours: text across them reads as one run ("Tel
 * <b>02</b> 6161 6161"), so they join one segment. Anything else (unknown and custom elements too)
 * starts a new one. Tag names only: computed styles would cost a style recalculation per node.
 */
const INLINE_TAGS = new Set([
  'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'label', 'mark', 'nobr', 'q',
  's', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'wbr',
]);

export function isInlineElement(el: Element): boolean {
  return INLINE_TAGS.has(el.localName);
}
