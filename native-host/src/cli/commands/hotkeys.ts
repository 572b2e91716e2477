import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { CliError } from '../command';
import { describeCall } from './call';
import { withHost } from './host-client';

/**
 * What the two hotkeys do, as commands: on Wayland (no program may take system-wide keys) a
 * desktop shortcut bound to them does the hotkeys' work; scripts can use them anywhere.
 */
export const dialSelectionCommand: CliCommand = {
  name: 'dial-selection',
  usage: 'dial-selection [--json]',
  summary: 'call the number highlighted in any program (what the dial hotkey does)',
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
    const r = await withHost(ctx, (c) => c.request('hotkeys.trigger', { action: 'dial' }));
    if (values.json) {
      ctx.out(JSON.stringify(r));
      return r.outcome === 'dialled' || r.outcome === 'ignored' ? 0 : 1;
    }
    if (r.outcome === 'dialled' && r.call) {
      ctx.out(describeCall(r.call));
      return 0;
    }
    if (r.outcome === 'ignored') {
      ctx.out('ignored: pressed again within 1 s');
      return 0;
    }
    const what = r.excerpt ? `"${r.excerpt}"` : 'the selection';
    throw new CliError(r.outcome === 'failed' ? `${what} was not called: ${r.reason ?? 'failed'}` : `${what} is not a number to call (${r.reason ?? 'nothing selected'})`);
  },
};

export const showCommand: CliCommand = {
  name: 'show',
  usage: 'show',
  summary: 'bring the phone window to the front (what the show hotkey does)',
  async run(args, ctx) {
    parseArgs({ args, strict: true, options: {} });
    await withHost(ctx, (c) => c.request('hotkeys.trigger', { action: 'show' }));
    return 0;
  },
};

export const hotkeysCommand: CliCommand = {
  name: 'hotkeys',
  usage: 'hotkeys [--json]',
  summary: 'which hotkeys the UI holds, or why it holds none',
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
    const s = await withHost(ctx, (c) => c.request('hotkeys.status'));
    if (values.json) {
      ctx.out(JSON.stringify(s));
      return 0;
    }
    if (!s.available) ctx.out(`no hotkeys: ${s.message ?? s.reason ?? 'unavailable'}`);
    for (const b of s.bindings) ctx.out(`${b.action.padEnd(5)} ${(b.combination ?? '(none)').padEnd(20)} ${b.state}${b.message ? ` (${b.message})` : ''}`);
    return 0;
  },
};
