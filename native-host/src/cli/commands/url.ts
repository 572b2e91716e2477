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
      // --from-hex: the URL as UTF-16 code units, 4 hex digits each (the MSI's URL launcher: a
      // command line WshShell.Run cannot alter, since it holds no % and no quote).
      options: { json: { type: 'boolean' }, 'from-env': { type: 'boolean' }, 'from-hex': { type: 'string' } },
    });
    if (values['from-env'] && values['from-hex'] !== undefined) throw new CliError('--from-env and --from-hex exclude each other', 2);
    const input =
      values['from-hex'] !== undefined
        ? positionals.length === 0
          ? fromHex(values['from-hex'])
          : undefined
        : values['from-env']
          ? positionals.length === 0
            ? ctx.env.VOISPEED_URL
            : undefined
          : positionals.length === 1
            ? positionals[0]
            : undefined;
    if (input === undefined) {
      throw new CliError(
        values['from-hex'] !== undefined
          ? 'expected the voispeed: URL in --from-hex and no other argument'
          : values['from-env']
            ? 'expected the voispeed: URL in VOISPEED_URL and no other argument'
            : 'expected exactly one voispeed: URL',
        2,
      );
    }
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

/** Longer than any URL a voispeed: link carries; the parser has its own, smaller, limits. */
const MAX_HEX_URL_UNITS = 8192;

/** UTF-16 code units, 4 hex digits each; anything else is a usage error (the parser checks the text). */
export function fromHex(hex: string): string {
  if (hex.length === 0 || hex.length % 4 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) throw new CliError('--from-hex expects 4 hex digits per UTF-16 code unit', 2);
  if (hex.length / 4 > MAX_HEX_URL_UNITS) throw new CliError(`--from-hex: longer than ${MAX_HEX_URL_UNITS} characters`, 2);
  let text = '';
  for (let i = 0; i < hex.length; i += 4) text += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return text;
}

/** The account is not changed yet: the user confirms it on the page the browser just opened. */
export function describeProposal(p: AccountProposal): string {
  const minutes = Math.max(1, Math.round((p.expiresAt - p.createdAt) / 60_000));
  return `confirm the new account ${p.next.user}@${p.next.domain} (extension ${p.next.extension}) in the browser: a VOIspeed page is waiting there (expires in ${minutes} min)`;
}
