import { parseArgs } from 'node:util';
import type { StatusResult } from '../../../../shared/protocol';
import { connectControl } from '../../control/control-client';
import { controlSocketPath } from '../../settings/paths';
import type { CliCommand } from '../command';

export function describeStatus(st: StatusResult): string {
  const r = st.registration;
  const who = r.account ? `${r.account.extension}${r.account.label ? ` (${r.account.label})` : ` on ${r.account.server}`}` : '';
  const head =
    r.state === 'registered'
      ? `registered as ${who}`
      : r.state === 'unconfigured'
        ? 'no SIP account configured'
        : `${r.state}${who ? ` as ${who}` : ''}${r.cause ? `: ${r.cause}` : ''}`;
  return `${head} — host ${st.host.app}, pid ${st.host.pid}, ${st.host.role}`;
}

export const statusCommand: CliCommand = {
  name: 'status',
  usage: 'status [--json]',
  summary: 'show whether the UI is running and registered',
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
    const client = await connectControl(controlSocketPath(ctx.paths, ctx.platform, ctx.uid));
    try {
      const st = await client.request('status');
      ctx.out(values.json ? JSON.stringify(st) : describeStatus(st));
      return st.registration.state === 'registered' ? 0 : 3;
    } finally {
      client.close();
    }
  },
};
