import { appendFileSync } from 'node:fs';

/**
 * Issue 19's figures, each with its target. A benchmark calls `figure()` where it has measured one;
 * the line is printed at once with "met"/"MISSED", and appended (one JSON per line) to the file
 * scripts/bench.mjs names in VOISPEED_BENCH_RESULTS, so `npm run bench` ends with one table.
 */
export const TARGETS = {
  clickToInvite: { label: 'popup click → INVITE at Kamailio (median)', max: 25, unit: 'ms' },
  clickToInviteP99: { label: 'popup click → INVITE at Kamailio (p99)', max: 45, unit: 'ms' },
  answeredRatio: { label: 'click → answered / sipp INVITE → answered', max: 4, unit: '×' },
  answerToAudio: { label: 'Answer click → far-end audio heard (median)', max: 80, unit: 'ms' },
  inviteToRinging: { label: 'far-end INVITE → ringing shown in the popup (median)', max: 25, unit: 'ms' },
  cliOverNode: { label: '`voispeed call` → INVITE, over Node start-up (median)', max: 40, unit: 'ms' },
  hostColdStart: { label: 'host cold start, launcher spawn → registered (median)', max: 300, unit: 'ms' },
  hostRss: { label: 'host RSS idle after registering', max: 50, unit: 'MB' },
  launcherRss: { label: 'launcher RSS', max: 30, unit: 'MB' },
  soakRssGrowth: { label: 'host RSS growth over 200 calls', max: 10, unit: '%' },
  denseLongestTask: { label: 'dense page (10,000 numbers): longest task', max: 50, unit: 'ms' },
  denseAllCallable: { label: 'dense page (10,000 numbers): all callable after', max: 2000, unit: 'ms' },
  inviteToCrmTab: { label: 'INVITE at the host → CRM tab created (median)', max: 40, unit: 'ms' },
} as const satisfies Record<string, { label: string; max: number; unit: string }>;

export type FigureName = keyof typeof TARGETS;

export interface FigureResult {
  name: FigureName;
  label: string;
  value: number;
  max: number;
  unit: string;
  met: boolean;
  detail?: string;
}

/** Prints one measured figure against its target and records it for the closing table. */
export function figure(name: FigureName, value: number, detail?: string): FigureResult {
  const t = TARGETS[name];
  const met = Number.isFinite(value) && value <= t.max;
  const result: FigureResult = { name, label: t.label, value, max: t.max, unit: t.unit, met, ...(detail ? { detail } : {}) };
  console.log(`${t.label}: ${formatValue(value, t.unit)} (target ≤ ${formatValue(t.max, t.unit)}: ${met ? 'met' : 'MISSED'})${detail ? ` — ${detail}` : ''}`);
  const file = process.env.VOISPEED_BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
  return result;
}

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'not measured';
  const digits = unit === '×' ? 2 : value >= 100 || Number.isInteger(value) ? 0 : 1;
  return unit === '×' ? `${value.toFixed(digits)}×` : `${value.toFixed(digits)} ${unit}`;
}
