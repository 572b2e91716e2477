import { describe, expect, it } from 'vitest';
import { bandAround, meets, planChanges, spanInBand, type Band } from './highlight-plan';

/** Numbers 20 px apart down the page, each 16 px high, the first at `y0`. */
const rows = (y0: number) => (i: number): Band => ({ top: y0 + i * 20, bottom: y0 + i * 20 + 16 });

describe('spanInBand', () => {
  it('finds the numbers of a block that meet the band, reading ~2·log2(n) boxes', () => {
    let reads = 0;
    const box = (i: number) => (reads++, rows(-100_000)(i));
    // 10,000 numbers from y = -100,000: the band [0, 600] holds numbers 5000…5030.
    const [lo, hi] = spanInBand(10_000, box, { top: 0, bottom: 600 });
    expect([lo, hi]).toEqual([5000, 5031]);
    for (let i = lo; i < hi; i++) expect(meets(rows(-100_000)(i), { top: 0, bottom: 600 })).toBe(true);
    expect(meets(rows(-100_000)(lo - 1), { top: 0, bottom: 600 })).toBe(false);
    expect(meets(rows(-100_000)(hi), { top: 0, bottom: 600 })).toBe(false);
    expect(reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(10_000)) + 2);
  });

  it('is empty when the block is wholly above or below the band, or has no numbers', () => {
    expect(spanInBand(100, rows(-10_000), { top: 0, bottom: 600 })).toEqual([100, 100]);
    expect(spanInBand(100, rows(5_000), { top: 0, bottom: 600 })).toEqual([0, 0]);
    expect(spanInBand(0, rows(0), { top: 0, bottom: 600 })).toEqual([0, 0]);
  });

  it('counts a number touching the band as in it, and one without a box as above it', () => {
    // Number 0 ends exactly at the band's top; number 3 starts exactly at its bottom.
    expect(spanInBand(10, rows(-16), { top: 0, bottom: 44 })).toEqual([0, 4]);
    // Numbers 0–4 have no box (their text changed): the search moves past them.
    const box = (i: number) => (i < 5 ? undefined : rows(0)(i));
    expect(spanInBand(20, box, { top: 0, bottom: 200 })).toEqual([5, 11]);
  });
});

describe('planChanges', () => {
  it('removes what left the band before adding what came in, within the per-frame bound', () => {
    const lit = new Set([1, 2, 3, 4]);
    expect(planChanges(lit, [3, 4, 5, 6], 10)).toEqual({ remove: [1, 2], add: [5, 6], more: false });
    // A bound of 3: both removals, then one addition (in the order wanted), the rest next frame.
    expect(planChanges(lit, [3, 4, 5, 6], 3)).toEqual({ remove: [1, 2], add: [5], more: true });
    expect(planChanges(lit, [3, 4, 5, 6], 1)).toEqual({ remove: [1], add: [], more: true });
  });

  it('changes nothing when what is lit is what is wanted', () => {
    expect(planChanges(new Set([1, 2]), [2, 1], 5)).toEqual({ remove: [], add: [], more: false });
    expect(planChanges(new Set<number>(), [], 5)).toEqual({ remove: [], add: [], more: false });
  });
});

describe('bandAround', () => {
  it('is the viewport with `margin` viewport heights above and below', () => {
    expect(bandAround(600, 1)).toEqual({ top: -600, bottom: 1200 });
    expect(bandAround(600, 0)).toEqual({ top: -0, bottom: 600 });
  });
});
