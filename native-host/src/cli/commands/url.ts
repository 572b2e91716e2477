import { parseArgs } from 'node:util';
import { parseVoispeedUrl, VoispeedUrlError } from '../../../../shared/voispeed-url';
import { CliError, type CliCommand } from '../command';
import { describeCall } from './call';
import { withHost } from './host-client';

/**
 * `voispeed voispeed:…`: what the OS URL handler runs for a link in any program. The URL comes
 * from outside (a page, an e-mail), so it is parsed strictly and never touches a shell.
 */
export const urlCommand: CliCommand = {
  name: 'url',
  usage: 'voispeed:<command>  (or: url <voispeed:URL>) [--json]',
  summary: 'run a voispeed: command (C, D, F; U needs the browser)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new CliError('expected exactly one voispeed: URL', 2);
    let command;
    try {
      command = parseVoispeedUrl(positionals[0]!);
    } catch (err) {
      if (err instanceof VoispeedUrlError) throw new CliError(`invalid voispeed: URL: ${err.message}`, 2);
      throw err;
    }
    const result = await withHost(ctx, async (c) => {
      switch (command.kind) {
        case 'call':
          return c.request('call.dial', { number: command.number, source: 'url', ...(command.extId ? { extId: command.extId } : {}) });
        case 'hangup':
          return c.request('call.hangup', command.callId ? { id: command.callId } : {});
        case 'forward':
          return c.request('call.transfer', { target: command.target, ...(command.callId ? { id: command.callId } : {}) });
        case 'configure':
          throw new CliError('self-configuration (voispeed:U…) must be confirmed in the browser, which this version cannot do yet', 1);
      }
    });
    ctx.out(values.json ? JSON.stringify(result.call) : describeCall(result.call));
    return 0;
  },
};
