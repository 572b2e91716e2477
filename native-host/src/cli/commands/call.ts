import { parseArgs } from 'node:util';
import type { CallInfo } from '../../../../shared/protocol';
import { CliError, type CliCommand, type CliContext } from '../command';
import { CALL_START_WAIT_MS, withHost } from './host-client';

export function describeCall(call: CallInfo): string {
  const name = call.contact?.name ?? call.remote.name;
  const who = name ? `${name} <${call.remote.number}>` : call.remote.number;
  const t = call.transfer;
  const transfer = t ? ` transfer to ${t.target}: ${t.phase}${t.failure ? ` (${t.failure}${t.code !== undefined ? ` ${t.code}` : ''})` : ''}` : '';
  return `${call.id} ${call.state} ${who}${call.extId ? ` [${call.extId}]` : ''}${transfer}`;
}

function print(ctx: CliContext, json: boolean | undefined, call: CallInfo): number {
  ctx.out(json ? JSON.stringify(call) : describeCall(call));
  return 0;
}

export const callCommand: CliCommand = {
  name: 'call',
  usage: 'call <number> [--ext-id X] [--json]',
  summary: 'call a number (needs the UI running and registered)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { 'ext-id': { type: 'string' }, json: { type: 'boolean' } },
    });
    const number = positionals.join(' ');
    const { call } = await withHost(ctx, (c) =>
      c.request('call.dial', { number, source: 'cli', ...(values['ext-id'] ? { extId: values['ext-id'] } : {}) }, CALL_START_WAIT_MS),
    );
    return print(ctx, values.json, call);
  },
};

export const hangupCommand: CliCommand = {
  name: 'hangup',
  usage: 'hangup [call-id] [--json]',
  summary: 'hang up that call, or the first one',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
    const id = positionals[0];
    const { call } = await withHost(ctx, (c) => c.request('call.hangup', id ? { id } : {}));
    return print(ctx, values.json, call);
  },
};

export const transferCommand: CliCommand = {
  name: 'transfer',
  usage: 'transfer <target> [call-id] | --attended <target> [call-id] | --complete [call-id] | --cancel [call-id] [--json]',
  summary: 'blind-transfer the first active call (or that one) to target; or consult target first, then complete or cancel',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, attended: { type: 'string' }, complete: { type: 'boolean' }, cancel: { type: 'boolean' } },
    });
    const modes = [values.attended !== undefined, values.complete, values.cancel].filter(Boolean).length;
    if (modes > 1) throw new CliError('transfer: use one of --attended, --complete and --cancel', 2);
    if (values.attended !== undefined) {
      const [id] = positionals;
      const { call } = await withHost(ctx, (c) => c.request('call.consult', { target: values.attended ?? '', source: 'cli', ...(id ? { id } : {}) }, CALL_START_WAIT_MS));
      return print(ctx, values.json, call);
    }
    if (values.complete || values.cancel) {
      const [id] = positionals;
      const method = values.complete ? 'call.transferComplete' : 'call.transferCancel';
      const { call } = await withHost(ctx, (c) => c.request(method, id ? { id } : {}));
      return print(ctx, values.json, call);
    }
    const [target, id] = positionals;
    const { call } = await withHost(ctx, (c) => c.request('call.transfer', { target: target ?? '', ...(id ? { id } : {}) }, CALL_START_WAIT_MS));
    return print(ctx, values.json, call);
  },
};

export const callsCommand: CliCommand = {
  name: 'calls',
  usage: 'calls [--json]',
  summary: 'list the calls in progress',
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
    const { calls } = await withHost(ctx, (c) => c.request('call.list'));
    if (values.json) ctx.out(JSON.stringify(calls));
    else if (calls.length === 0) ctx.out('no calls');
    else for (const call of calls) ctx.out(describeCall(call));
    return 0;
  },
};
