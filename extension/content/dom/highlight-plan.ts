/**
 * The pure part of the highlight window (highlight-window.ts): which numbers of a block lie in a
 * band of the viewport, and which Highlight changes one frame makes. No DOM here, so the rules are
 * tested on their own (highlight-plan.test.ts).
 */

/** A vertical extent in viewport coordinates (CSS pixels, top < bottom). */
export interface Band {
  top: number;
  bottom: number;
}

/**
 * The numbers of one block that meet `band`, as the index range [lo, hi). Numbers of one block
 * in document order go down the page, so two binary searches find it with ~2·log2(n) boxes read
 * (28 for a <pre> of 10,000 numbers) instead of n. `boxAt(i)` is undefined when the number has no
 * box (its text changed since): it counts as above the band, so the search moves past it.
 *
 * Where the order does not hold (columns, floats, reordered flex items), the span is wrong only
 * for what is highlighted: every number stays callable (hit-testing reads the registry).
 */
export function spanInBand(count: number, boxAt: (i: number) => Band | undefined, band: Band): [number, number] {
  // First number whose bottom reaches the band's top.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const box = boxAt(mid);
    if (!box || box.bottom < band.top) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  // First number (from there) whose top is below the band's bottom.
  hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const box = boxAt(mid);
    if (!box || box.top <= band.bottom) lo = mid + 1;
    else hi = mid;
  }
  return [first, lo];
}

/** Whether two vertical extents overlap (a box touching the band counts). */
export function meets(box: Band, band: Band): boolean {
  return box.bottom >= band.top && box.top <= band.bottom;
}

export interface Changes<T> {
  remove: T[];
  add: T[];
  /** Changes left for the next frame (the per-frame bound was reached). */
  more: boolean;
}

/**
 * The changes that take the highlighted set `lit` toward `wanted`, at most `max` of them: removals
 * first (they keep the set, and so the browser's per-frame walk over it, bounded), then additions
 * in the order of `wanted` (callers put the numbers in view first).
 */
export function planChanges<T>(lit: ReadonlySet<T>, wanted: readonly T[], max: number): Changes<T> {
  const want = new Set(wanted);
  const remove: T[] = [];
  const add: T[] = [];
  let more = false;
  for (const e of lit) {
    if (want.has(e)) continue;
    if (remove.length >= max) {
      more = true;
      break;
    }
    remove.push(e);
  }
  for (const e of want) {
    if (lit.has(e)) continue;
    if (remove.length + add.length >= max) {
      more = true;
      break;
    }
    add.push(e);
  }
  return { remove, add, more };
}

/**
 * The band around the viewport whose numbers are highlighted: `margin` viewport heights above and
 * below it (so a number scrolled in is usually lit already), or the viewport alone (`margin` 0).
 */
export function bandAround(viewportHeight: number, margin: number): Band {
  return { top: -margin * viewportHeight, bottom: viewportHeight + margin * viewportHeight };
}
