import { parseArgs } from 'node:util';
import { colleagueExtSchema } from '../../../../shared/protocol/colleagues';
import type { CliCommand } from '../command';
import { CliError } from '../command';
import { describeCall } from './call';
import { withHost } from './host-client';

/** Colleagues' lamps and pick-up (issue 17) from a terminal or a script. */
export const colleaguesCommand: CliCommand = {
  name: 'colleagues',
  usage: 'colleagues [--json]',
  summary: "colleagues' lamps: idle, ringing (and who calls), on a call, offline",
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
    const view = await withHost(ctx, (c) => c.request('colleagues.list'));
    if (values.json) {
      ctx.out(JSON.stringify(view));
      return 0;
    }
    if (view.colleagues.length === 0) ctx.out('no colleagues: list their extensions in the options (Desk phone features)');
    for (const c of view.colleagues) {
      const caller = c.caller ? ` (${c.caller.name ? `${c.caller.name} ` : ''}${c.caller.number} calling)` : '';
      ctx.out(`${c.ext.padEnd(8)} ${c.lamp}${caller}`);
    }
    if (view.requested > view.colleagues.length) ctx.out(`only the first ${view.colleagues.length} of ${view.requested} are watched`);
    return 0;
  },
};

export const pickupCommand: CliCommand = {
  name: 'pickup',
  usage: 'pickup <extension>',
  summary: 'take the call ringing at a colleague',
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
    const ext = colleagueExtSchema.safeParse(positionals[0]);
    if (positionals.length !== 1 || !ext.success) throw new CliError('usage: voispeed pickup <extension>, e.g. voispeed pickup 1002', 2);
    const { call } = await withHost(ctx, (c) => c.request('colleagues.pickup', { ext: ext.data }));
    ctx.out(describeCall(call));
    return 0;
  },
};

export const voicemailCommand: CliCommand = {
  name: 'voicemail',
  usage: 'voicemail [--call] [--json]',
  summary: 'voicemail messages waiting; --call calls the voicemail',
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' }, call: { type: 'boolean' } } });
    if (values.call) {
      const { call } = await withHost(ctx, (c) => c.request('voicemail.call'));
      ctx.out(values.json ? JSON.stringify(call) : describeCall(call));
      return 0;
    }
    const s = await withHost(ctx, (c) => c.request('voicemail.status'));
    if (values.json) ctx.out(JSON.stringify(s));
    else if (!s.known) ctx.out('voicemail: the PBX has not said yet');
    else ctx.out(`voicemail: ${s.waiting ? s.newMessages : 0} new, ${s.oldMessages} old${s.account ? ` (${s.account})` : ''}`);
    return 0;
  },
};
