import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { formatEventTime, planRule, safeExtId, safeNumber, type PlaceholderValues } from '../../shared/integra';
import { integraSettingsSchema } from '../../shared/settings/integra';
import type { CallInfo } from '../../shared/protocol';
import { CommandRunner } from '../../native-host/src/integra/command-runner';
import { startIntegra } from '../../native-host/src/integra/integra';
import { hostileCallerIds, sipEscape } from '../fixtures/integra-hostile';
import { repoRoot } from '../support/host-process';
import { tempDir } from '../support/temp';

const recorder = join(repoRoot, 'tests/fixtures/integra-record-args.cjs');
const log = pino({ level: 'silent' });
type Recorded = { args: string[] };

/**
 * Integra security, directly (no SIP): hostile caller ids handed to the event code and the runner
 * as they are, with real processes. Each value must arrive as exactly one literal argument (or be
 * refused), nothing but the configured program may start, and no payload may create a file.
 */
describe('Integra against hostile caller ids, directly', { timeout: 180_000 }, () => {
  const dir = tempDir('integra-sec');
  const canaries = join(dir.path, 'canaries');
  mkdirSync(canaries);
  const values = hostileCallerIds((i) => join(canaries, `pwned-${i}`));
  afterAll(() => dir.remove());

  const read = (d: string) => readdirSync(d).map((f) => (JSON.parse(readFileSync(join(d, f), 'utf8')) as Recorded).args);
  const spawned: { file: string; args: readonly string[] }[] = [];
  const spy = ((file: string, args: readonly string[], options: object) => {
    spawned.push({ file, args });
    return spawn(file, args, options);
  }) as unknown as typeof spawn;

  it(`${values.length} calls through events, whitelist and runner: one argument per placeholder, whitelisted`, async () => {
    expect(values.length).toBeGreaterThanOrEqual(200);
    const out = join(dir.path, 'events');
    mkdirSync(out);
    const settings = integraSettingsSchema.parse({
      enabled: true,
      rules: [{ id: 'sec', events: ['CALL_FORWARD_IN'], action: 'command', template: `'${process.execPath}' '${recorder}' '${out}' !00 !01 !02 !03 !04 !05 !06 !07 !08` }],
    });
    const done: number[] = [];
    const integra = startIntegra({
      log,
      platform: process.platform,
      settings: () => settings,
      aor: () => 'sip:1001@pbx.example',
      openInBrowser: () => Promise.reject(new Error('no browser in this test')),
      announce: (e) => {
        if (e.result !== 'running') done.push(e.seq);
      },
      runner: { spawnImpl: spy, maxRunning: 4, maxQueued: 1000 },
    });
    const t = Date.UTC(2026, 10, 26, 9, 30, 15);
    values.forEach((value, i) => {
      const id = `sec-${i}`;
      integra.onSipFacts({
        id,
        message: 'invite',
        receivedAt: Date.now(),
        headers: { To: [`<sip:77${String(i).padStart(4, '0')}@pbx.example>`], 'P-Asserted-Identity': [`<sip:${sipEscape(value)}@pbx.example>`], Diversion: [`<sip:${sipEscape(value)}@pbx.example>`] },
      });
      const call: CallInfo = {
        id,
        direction: 'in',
        state: 'ringing-in',
        remote: { number: value, uri: `sip:${value}@pbx.example` },
        extId: value,
        muted: false,
        onHold: false,
        remoteHold: false,
        startedAt: t,
      };
      integra.onCall(call);
    });
    const until = Date.now() + 150_000;
    while (done.length < values.length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(done).toHaveLength(values.length);
    const got = read(out);
    expect(got).toHaveLength(values.length);
    for (const args of got) {
      expect(args).toHaveLength(9);
      const i = Number(args[3]!.slice(2));
      const v = values[i]!;
      expect(args[0]).toBe('1001');
      expect(args[1], `!01 of ${JSON.stringify(v).slice(0, 60)}`).toBe(safeNumber(v));
      expect(args[2]).toBe('CALL_FORWARD_IN');
      expect(args[4]).toMatch(/^\d{2}\/\d{2}\/\d{4}_\d{2}\.\d{2}\.\d{2}$/);
      expect(args[5]).toBe(`sec-${i}`);
      expect(args[6]).toBe(safeNumber(v));
      expect(args[7]).toBe(safeNumber(v));
      expect(args[8]).toBe(safeExtId(v));
      if (/touch|calc|\$|`|;|\||&|%|\n/.test(v)) expect(args[1], JSON.stringify(v).slice(0, 60)).toBe('');
    }
    expect(spawned.every((s) => s.file === process.execPath && s.args[0] === recorder), 'only the configured program started').toBe(true);
    expect(spawned).toHaveLength(values.length);
    expect(readdirSync(canaries), 'no payload created a file').toEqual([]);
    integra.stop();
  });

  it('without the whitelist, the argv rule alone keeps every value one literal argument (NUL refused)', async () => {
    const out = join(dir.path, 'raw');
    mkdirSync(out);
    spawned.length = 0;
    const runner = new CommandRunner({ log, spawnImpl: spy, maxRunning: 4, maxQueued: 1000 });
    const base: PlaceholderValues = { '00': '1001', '01': '', '02': 'CALL_IN', '03': '', '04': formatEventTime(new Date()), '05': 'x', '06': '', '07': '', '08': '', '09': '' };
    const rule = { action: 'command' as const, template: `'${process.execPath}' '${recorder}' '${out}' !01 "a !01 b" pre!01post !05` };
    let refused = 0;
    const runs: Promise<unknown>[] = [];
    values.forEach((value, i) => {
      const plan = planRule(rule, { ...base, '01': value, '05': String(i) }, 'posix');
      if (value.includes('\u0000')) {
        expect(plan.kind, JSON.stringify(value).slice(0, 60)).toBe('error');
        refused++;
        return;
      }
      expect(plan.kind).toBe('command');
      if (plan.kind === 'command') runs.push(runner.run(plan, {}));
    });
    const outcomes = await Promise.all(runs);
    expect(outcomes.every((o) => (o as { result: string }).result === 'ok')).toBe(true);
    const got = read(out);
    expect(got).toHaveLength(values.length - refused);
    for (const args of got) {
      const v = values[Number(args[3])]!;
      expect(args, JSON.stringify(v).slice(0, 60)).toEqual([v, `a ${v} b`, `pre${v}post`, args[3]]);
    }
    expect(refused).toBeGreaterThan(0);
    expect(spawned).toHaveLength(values.length - refused);
    expect(spawned.every((s) => s.file === process.execPath && s.args[0] === recorder)).toBe(true);
    expect(readdirSync(canaries), 'no payload created a file').toEqual([]);
  });
});
