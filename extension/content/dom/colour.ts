/** A colour as the page paints it: sRGB channels 0–255, alpha 0–1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
  /** Only the alpha could be read (a colour syntax this browser's canvas did not take). */
  alphaOnly?: true;
}

const LEGACY = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*(?:[,/]\s*([\d.]+)(%?)\s*)?\)$/i;
/** The alpha of any colour function (`color(srgb 0 0 0 / 0)`, `oklch(… / 10%)`). */
const SLASH_ALPHA = /\/\s*([\d.]+)(%?)\s*\)$/;

const clamp01 = (n: number) => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 1);
const alphaOf = (num: string, pct: string) => clamp01(pct ? Number(num) / 100 : Number(num));

let canvas: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;

/** Any CSS colour through a 1×1 canvas (computed styles keep oklch(), lab(), color() as written). */
function viaCanvas(css: string): Rgba | undefined {
  if (canvas === undefined) {
    try {
      canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true }) : null;
    } catch {
      canvas = null;
    }
  }
  if (!canvas) return undefined;
  try {
    canvas.clearRect(0, 0, 1, 1);
    canvas.fillStyle = '#000';
    canvas.fillStyle = css;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
    return { r: r!, g: g!, b: b!, a: a! / 255 };
  } catch {
    return undefined;
  }
}

/**
 * A computed colour (`getComputedStyle(…).color`) as RGBA; `undefined` when it cannot be read. A
 * colour whose channels cannot be read still gives its alpha when it writes one (`/ 0`), so a
 * transparent colour in any syntax is seen as transparent.
 */
export function parseColour(css: string | null | undefined): Rgba | undefined {
  const s = (css ?? '').trim();
  if (!s) return undefined;
  if (s === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const m = LEGACY.exec(s);
  if (m) return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a: m[4] === undefined ? 1 : alphaOf(m[4], m[5] ?? '') };
  const exact = viaCanvas(s);
  if (exact) return exact;
  const slash = SLASH_ALPHA.exec(s);
  return slash ? { r: 0, g: 0, b: 0, a: alphaOf(slash[1]!, slash[2] ?? ''), alphaOnly: true } : undefined;
}

/** `top` painted over the opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
}

function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** WCAG contrast ratio of two opaque colours, 1 (none) to 21. */
export function contrast(a: Rgba, b: Rgba): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
