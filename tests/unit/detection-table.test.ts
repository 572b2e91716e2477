import { describe, expect, it } from 'vitest';
import { findPhoneNumbers } from '../../extension/content/detect/max';
import { CASES } from './detection-cases';

/**
 * Issue 4's detection table: precision and recall over every row, printed; each row also checked
 * on its own so a regression names the text that broke.
 */
describe('detection table', () => {
  const results = CASES.map((c) => {
    const found = findPhoneNumbers(c.text, { defaultCountry: c.country ?? 'IT' }).map((m) => m.e164);
    const tp = found.filter((n) => c.expect.includes(n)).length;
    return { c, found, tp, fp: found.length - tp, fn: c.expect.filter((n) => !found.includes(n)).length };
  });

  it('has at least 150 cases and covers every trap class', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    const groups = new Set(CASES.map((c) => c.group));
    for (const g of ['VAT', 'IBAN', 'dates', 'times', 'prices', 'ISBN', 'IP', 'version', 'order', 'card', 'coordinates']) {
      expect([...groups].some((x) => x.includes(g)), g).toBe(true);
    }
  });

  it('prints precision and recall (targets: precision ≥ 0.98, recall ≥ 0.95)', () => {
    const sum = (k: 'tp' | 'fp' | 'fn') => results.reduce((s, r) => s + r[k], 0);
    const tp = sum('tp');
    const fp = sum('fp');
    const fn = sum('fn');
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    const traps = results.filter((r) => r.c.group.startsWith('trap'));
    console.log(
      `detection table: ${CASES.length} cases (${traps.length} traps), ${tp + fn} numbers; ` +
        `TP ${tp}, FP ${fp}, FN ${fn}; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    for (const r of results.filter((x) => x.fp || x.fn)) {
      console.log(`  ${r.fp ? 'FP' : 'FN'} [${r.c.group}] ${JSON.stringify(r.c.text)} → found ${JSON.stringify(r.found)}`);
    }
    expect(precision).toBeGreaterThanOrEqual(0.98);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it.each(results.filter((r) => r.c.group.startsWith('trap')).map((r) => [r.c.text, r] as const))(
    'trap never callable: %s',
    (_text, r) => {
      expect(r.found).toEqual([]);
    },
  );
});
