import { describe, expect, it } from 'vitest';
import { commands } from './commands';
import { HOT_COMMAND_NAMES, isHotCommand } from './hot-commands';
import { hotCommands } from './hot-list';

describe('the small CLI entry for hot commands', () => {
  it('takes call, hangup, url and a bare voispeed: URL (any case); nothing else', () => {
    for (const argv of [['call', '2001'], ['hangup'], ['url', 'voispeed:C1'], ['voispeed:C2001'], ['VOISPEED:D0261616161']]) expect(isHotCommand(argv), argv.join(' ')).toBe(true);
    for (const argv of [[], ['--help'], ['help'], ['status'], ['install'], ['account', 'show'], ['sandbox', 'start'], ['calls'], ['callx'], ['x', 'call']]) expect(isHotCommand(argv), argv.join(' ')).toBe(false);
  });

  it('runs the very command objects of the full CLI (same parsing, outputs and exit codes)', () => {
    expect(hotCommands.map((c) => c.name).sort()).toEqual([...HOT_COMMAND_NAMES].sort());
    for (const c of hotCommands) expect(commands).toContain(c);
  });
});
