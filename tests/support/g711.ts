/** G.711 µ-law and A-law (ITU-T G.711) for test far ends that speak plain RTP. */

export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function ulawToLinear(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4);
  return v & 0x80 ? 0x84 - t : t - 0x84;
}

const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

export function linearToAlaw(sample: number): number {
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 3;
  let mask = 0xd5;
  if (pcm < 0) {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const seg = ALAW_SEGMENT_ENDS.findIndex((end) => pcm <= end);
  if (seg < 0) return 0x7f ^ mask;
  const aval = (seg << 4) | ((seg < 2 ? pcm >> 1 : pcm >> seg) & 0x0f);
  return aval ^ mask;
}

export function alawToLinear(a: number): number {
  const v = a ^ 0x55;
  const exponent = (v & 0x70) >> 4;
  let t = (v & 0x0f) << 4;
  t += exponent === 0 ? 8 : 0x108;
  if (exponent > 1) t <<= exponent - 1;
  return v & 0x80 ? t : -t;
}

/** Power of `hz` relative to total power in 8 kHz samples (Goertzel): near 1 for a clean tone. */
export function toneShare(samples: number[], hz: number, rate = 8000): number {
  if (samples.length === 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    energy += x * x;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return energy > 0 ? (2 * power) / (samples.length * energy) : 0;
}

export function rms(samples: number[]): number {
  return samples.length ? Math.sqrt(samples.reduce((a, x) => a + x * x, 0) / samples.length) / 32768 : 0;
}
