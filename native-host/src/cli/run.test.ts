import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../../shared/app-version';
import type { CliCommand, CliContext } from './command';
import { runCommands } from './run';

function context(): { ctx: CliContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } as unknown as CliContext;
  return { ctx, out, err };
}

const echo: CliCommand = { name: 'echo', usage: 'echo', summary: 'says what it got', run: async (args, ctx) => (ctx.out(args.join(' ')), 0) };

describe('runCommands', () => {
  it.each(['--version', '-V', 'version'])('%s prints the version and exits 0', async (flag) => {
    const { ctx, out, err } = context();
    expect(await runCommands([flag], ctx, [echo])).toBe(0);
    expect(out).toEqual([`voispeed ${APP_VERSION}`]);
    expect(err).toEqual([]);
  });

  it('an unknown command exits 2 with one line naming it; help lists --version', async () => {
    const { ctx, out, err } = context();
    expect(await runCommands(['--versio'], ctx, [echo])).toBe(2);
    expect(err).toEqual(['voispeed: unknown command "--versio" (try: voispeed --help)']);
    expect(await runCommands(['--help'], ctx, [echo])).toBe(0);
    expect(out.join('\n')).toContain('voispeed --version');
  });
});
