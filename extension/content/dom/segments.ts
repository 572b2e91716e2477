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
}

const DIGIT = /\d/;

/**
 * Collects the text nodes of one line of prose. Most lines have no digit and are dropped at once,
 * so the text and the pieces are only put together for those that have one (`text`, `withGaps`):
 * adding a node costs four array slots, no object and no string.
 */
export class SegmentBuilder {
  private readonly nodes: Text[] = [];
  private readonly starts: number[] = [];
  private readonly datas: string[] = [];
  private readonly gaps: boolean[] = [];
  /** Characters so far. */
  length = 0;
  /** Whether any piece has a digit: most segments have none and are dropped at once. */
  hasDigit = false;

  /** How many pieces so far. */
  get count(): number {
    return this.nodes.length;
  }

  /** `checkGap`: joined after another node of the same block; whether something sits between is checked lazily. */
  add(node: Text, nodeStart: number, data: string, checkGap = false): void {
    this.nodes.push(node);
    this.starts.push(nodeStart);
    this.datas.push(data);
    this.gaps.push(checkGap);
    this.length += data.length;
    if (!this.hasDigit && DIGIT.test(data)) this.hasDigit = true;
  }

  get text(): string {
    return this.datas.join('');
  }

  /**
   * The text and its pieces, with a line break wherever `breaks` says no number may span (a <br>,
   * a link). Done only for the few segments that pass the digit pre-filter: the DOM look-ups cost.
   */
  withGaps(breaks: (node: Text) => boolean): { text: string; pieces: Piece[] } {
    let text = '';
    const pieces: Piece[] = [];
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i]!;
      if (this.gaps[i] && text && !text.endsWith('\n') && breaks(node)) text += '\n';
      const data = this.datas[i]!;
      pieces.push({ node, nodeStart: this.starts[i]!, segStart: text.length, length: data.length });
      text += data;
    }
    return { text, pieces };
  }

  reset(): void {
    this.nodes.length = 0;
    this.starts.length = 0;
    this.datas.length = 0;
    this.gaps.length = 0;
    this.length = 0;
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
