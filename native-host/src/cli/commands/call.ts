import { parseArgs } from 'node:util';
import type { CallInfo } from '../../../../shared/protocol';
import type { CliCommand, CliContext } from '../command';
import { CALL_START_WAIT_MS, withHost } from './host-client';

export function describeCall(call: CallInfo): string {
  const name = call.contact?.name ?? call.remote.name;
  const who = name ? `${name} <${call.remote.number}>` : call.remote.number;
  return `${call.id} ${call.state} ${who}${call.extId ? ` [${call.extId}]` : ''}`;
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
  usage: 'transfer <target> [call-id] [--json]',
  summary: 'blind-transfer the first active call (or that one) to target',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
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
