/** Percentile of a sample (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(samples: number[]): { n: number; median: number; p99: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, median: percentile(s, 50), p99: percentile(s, 99), min: s[0]!, max: s[s.length - 1]! };
}

export function fmt(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}
