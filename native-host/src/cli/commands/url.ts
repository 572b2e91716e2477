import { parseArgs } from 'node:util';
import { parseVoispeedUrl, VoispeedUrlError } from '../../../../shared/voispeed-url';
import type { AccountProposal } from '../../../../shared/protocol';
import { CliError, type CliCommand } from '../command';
import { describeCall } from './call';
import { CALL_START_WAIT_MS, withHost } from './host-client';

/**
 * `voispeed voispeed:…`: what the OS URL handler runs for a link in any program. The URL comes
 * from outside (a page, an e-mail), so it is parsed strictly and never touches a shell.
 */
export const urlCommand: CliCommand = {
  name: 'url',
  usage: 'voispeed:<command>  (or: url <voispeed:URL>) [--json]',
  summary: 'run a voispeed: command (C, D, F; U asks for confirmation in the browser)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      // --from-env: the URL is in VOISPEED_URL (the Windows URL launcher: no command-line quoting).
      options: { json: { type: 'boolean' }, 'from-env': { type: 'boolean' } },
    });
    const input = values['from-env'] ? (positionals.length === 0 ? ctx.env.VOISPEED_URL : undefined) : positionals.length === 1 ? positionals[0] : undefined;
    if (input === undefined) throw new CliError(values['from-env'] ? 'expected the voispeed: URL in VOISPEED_URL and no other argument' : 'expected exactly one voispeed: URL', 2);
    let command;
    try {
      command = parseVoispeedUrl(input);
    } catch (err) {
      if (err instanceof VoispeedUrlError) throw new CliError(`invalid voispeed: URL: ${err.message}`, 2);
      throw err;
    }
    if (command.kind === 'configure') {
      const { kind: _kind, ...fields } = command;
      const { proposal } = await withHost(ctx, (c) => c.request('account.propose', { ...fields, source: 'url' }));
      ctx.out(values.json ? JSON.stringify(proposal) : describeProposal(proposal));
      return 0;
    }
    // C, D, F: executed by the host in one place (voispeed.run), as for page links.
    const result = await withHost(ctx, (c) => c.request('voispeed.run', { command, source: 'url' }, CALL_START_WAIT_MS));
    ctx.out(values.json ? JSON.stringify(result.call) : describeCall(result.call));
    return 0;
  },
};

/** The account is not changed yet: the user confirms it on the page the browser just opened. */
export function describeProposal(p: AccountProposal): string {
  const minutes = Math.max(1, Math.round((p.expiresAt - p.createdAt) / 60_000));
  return `confirm the new account ${p.next.user}@${p.next.domain} (extension ${p.next.extension}) in the browser: a VOIspeed page is waiting there (expires in ${minutes} min)`;
}
