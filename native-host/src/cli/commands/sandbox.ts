import { isIPv4 } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readSandboxStatus, startSandbox, stopSandbox } from '../../sandbox';
import { formatStatus } from '../../sandbox/format-status';
import { readSandboxDirectory } from '../../sandbox/slapd';
import { CliError, type CliCommand, type CliContext } from '../command';
import { startDirectoryFor, stopDirectoryFor } from './sandbox-directory';

const USAGE = 'sandbox start [--classic [--address IP]] [--directory]|stop|status [--json] [--dir DIR]';

async function printStatus(dir: string, json: boolean, ctx: CliContext): Promise<void> {
  const status = await readSandboxStatus(dir);
  // The LDAP directory (issue 18) is reported beside the PBX, when it runs.
  const directory = await readSandboxDirectory(dir);
  if (json) ctx.out(JSON.stringify({ ...(status ?? { running: false, dir }), ...(directory ? { directory } : {}) }, null, 2));
  else for (const line of formatStatus(status, dir)) ctx.out(line);
  if (directory && !json) ctx.out(`directory: ${directory.url} base ${directory.baseDn}, bind ${directory.bindDn}, ${directory.entries} entries (log ${directory.log})`);
}

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  usage: USAGE,
  summary: 'local test PBX on 127.0.0.1 (Kamailio, rtpengine, baresip bots; --classic: SIP over UDP/TCP/TLS, plain RTP)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      options: { json: { type: 'boolean', default: false }, dir: { type: 'string' }, classic: { type: 'boolean', default: false }, address: { type: 'string' }, directory: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const action = positionals[0];
    if (positionals.length !== 1 || (action !== 'start' && action !== 'stop' && action !== 'status')) {
      throw new CliError(`usage: voispeed ${USAGE}`, 2);
    }
    const dir = values.dir ? resolve(values.dir) : ctx.paths.sandboxDir;
    const json = values.json === true;
    if (values.classic && action !== 'start') throw new CliError(`--classic goes with start (usage: voispeed ${USAGE})`, 2);
    if (values.address !== undefined && !(action === 'start' && values.classic)) throw new CliError(`--address goes with start --classic (usage: voispeed ${USAGE})`, 2);
    if (values.address !== undefined && !isIPv4(values.address)) throw new CliError(`--address must be an IPv4 address, e.g. 10.0.0.2 (got ${JSON.stringify(values.address.slice(0, 64))})`, 2);
    if (action === 'start') {
      try {
        await startSandbox({ dir, env: ctx.env, ...(values.classic ? { profile: 'classic', address: values.address } : { profile: 'ws' }) });
        if (values.directory) ctx.err(`sandbox directory: ${(await startDirectoryFor(ctx, dir)).applied}`);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      await printStatus(dir, json, ctx);
      return 0;
    }
    if (action === 'stop') {
      const before = await readSandboxStatus(dir);
      await stopSandbox(dir);
      await stopDirectoryFor(dir);
      if (json) await printStatus(dir, true, ctx);
      else ctx.out(before ? `sandbox: stopped (${dir})` : `sandbox: nothing to stop in ${dir}`);
      return 0;
    }
    await printStatus(dir, json, ctx);
    return 0;
  },
};
