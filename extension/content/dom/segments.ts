/**
 * A run of text that reads as one line of prose: consecutive text nodes under the same block,
 * joined. Offsets found in `text` map back to (node, offset) through `pieces`.
 */
export interface Piece {
  node: Text;
  /** Offset of this piece inside the node (a long node is cut into several pieces). */
  nodeStart: number;
  /** Offset of this piece inside the segment text. */
  segStart: number;
  length: number;
  /** Joined after another node of the same block: whether something sits between is checked lazily. */
  checkGap?: boolean;
}

export class SegmentBuilder {
  text = '';
  pieces: Piece[] = [];
  /** Whether any piece has a digit: most segments have none and are dropped at once. */
  hasDigit = false;

  add(node: Text, nodeStart: number, data: string, checkGap = false): void {
    this.pieces.push({ node, nodeStart, segStart: this.text.length, length: data.length, ...(checkGap ? { checkGap } : {}) });
    this.text += data;
    if (!this.hasDigit && /\d/.test(data)) this.hasDigit = true;
  }

  /** A line break or a skipped element: no number may span it. */
  gap(): void {
    if (this.text && !this.text.endsWith('\n')) this.text += '\n';
  }

  /**
   * The text with a line break wherever `breaks` says no number may span (a <br>, a link). Done
   * only for the few segments that pass the digit pre-filter: the DOM look-ups cost.
   */
  withGaps(breaks: (node: Text) => boolean): { text: string; pieces: Piece[] } {
    if (!this.pieces.some((p) => p.checkGap && breaks(p.node))) return { text: this.text, pieces: this.pieces };
    let text = '';
    const pieces: Piece[] = [];
    for (const p of this.pieces) {
      if (p.checkGap && breaks(p.node) && text && !text.endsWith('\n')) text += '\n';
      pieces.push({ node: p.node, nodeStart: p.nodeStart, segStart: text.length, length: p.length });
      text += this.text.slice(p.segStart, p.segStart + p.length);
    }
    return { text, pieces };
  }

  reset(): void {
    this.text = '';
    this.pieces = [];
    this.hasDigit = false;
  }
}

/** Maps a segment offset to a text position; `end` picks the piece that ends there. */
export function locate(pieces: Piece[], offset: number, end: boolean): { node: Text; offset: number } | undefined {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid]!;
    const from = p.segStart;
    const to = p.segStart + p.length;
    if (end ? offset <= from : offset < from) hi = mid - 1;
    else if (end ? offset > to : offset >= to) lo = mid + 1;
    else return { node: p.node, offset: p.nodeStart + offset - from };
  }
  return undefined;
}

/** Where to cut a long text so that a number is unlikely to straddle the cut. */
export function cutPoint(text: string, from: number, max: number): number {
  const limit = from + max;
  if (text.length <= limit) return text.length;
  const nl = text.lastIndexOf('\n', limit);
  if (nl > from + max / 2) return nl + 1;
  for (let i = limit; i > from + max / 2; i--) {
    // A space between two letters: no number runs across it.
    if (text.charCodeAt(i) === 32 && /[^\d+()./-]/.test(text[i - 1] ?? '') && /[^\d+()./-]/.test(text[i + 1] ?? '')) return i + 1;
  }
  const sp = text.lastIndexOf(' ', limit);
  return sp > from ? sp + 1 : limit;
}
