import { describe, expect, it } from 'vitest';
import { contrast, over, parseColour } from './colour';

describe('parseColour (computed colours as the page paints them)', () => {
  it('reads rgb() and rgba() as browsers serialise them, commas or spaces, alpha as a number or percentage', () => {
    expect(parseColour('rgb(34, 34, 34)')).toEqual({ r: 34, g: 34, b: 34, a: 1 });
    expect(parseColour('rgba(0, 0, 0, 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseColour('rgba(25, 118, 210, 0.12)')).toEqual({ r: 25, g: 118, b: 210, a: 0.12 });
    expect(parseColour('rgb(255 0 0 / 50%)')).toEqual({ r: 255, g: 0, b: 0, a: 0.5 });
    expect(parseColour('transparent')?.a).toBe(0);
  });

  it('keeps the alpha of a syntax it cannot convert here, so a transparent colour is seen as one', () => {
    // No canvas under Node: the channels are unknown, the alpha is not.
    expect(parseColour('color(srgb 0 0 0 / 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0, alphaOnly: true });
    expect(parseColour('oklch(0.5 0.1 200 / 10%)')?.a).toBeCloseTo(0.1);
  });

  it('gives nothing for nothing: empty, garbage, no alpha to read', () => {
    for (const bad of ['', '   ', 'not a colour', 'oklch(0.5 0.1 200)', null, undefined]) expect(parseColour(bad)).toBeUndefined();
  });

  it('clamps an alpha out of range', () => {
    expect(parseColour('rgba(0, 0, 0, 7)')?.a).toBe(1);
  });
});

describe('contrast and compositing', () => {
  const white = { r: 255, g: 255, b: 255, a: 1 };
  const black = { r: 0, g: 0, b: 0, a: 1 };

  it('is 21:1 for black on white, 1:1 for a colour on itself', () => {
    expect(contrast(black, white)).toBeCloseTo(21, 5);
    expect(contrast(white, white)).toBe(1);
  });

  it('a transparent colour over a background is the background: no contrast', () => {
    const painted = over({ ...black, a: 0 }, white);
    expect(contrast(painted, white)).toBe(1);
  });

  it('grey small print (#666 at 60 %) on white still stands apart (> 1.4:1)', () => {
    const painted = over({ r: 102, g: 102, b: 102, a: 0.6 }, white);
    expect(contrast(painted, white)).toBeGreaterThan(1.4);
  });
});
