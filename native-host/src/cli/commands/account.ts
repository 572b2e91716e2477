import { parseArgs } from 'node:util';
import { ErrorCode, ProtocolError } from '../../../../shared/protocol';
import { accountSchema, type Account } from '../../../../shared/protocol/account';
import { connectControl } from '../../control/control-client';
import { lockViolation, MANAGED_KEYS } from '../../../../shared/settings/managed';
import { ManagedPolicies } from '../../settings/managed-policies';
import { applyManaged } from '../../settings/managed-merge';
import { browserPolicyFile, controlSocketPath, settingsFile, systemSettingsFile } from '../../settings/paths';
import { readSandboxStatus } from '../../sandbox';
import { SettingsStore } from '../../settings/settings-store';
import { CliError, type CliCommand, type CliContext } from '../command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks a running host to pick up the new account; a stopped host reads it when it starts. */
async function reloadRunningHost(ctx: CliContext): Promise<string> {
  try {
    const client = await connectControl(controlSocketPath(ctx.paths, ctx.platform, ctx.uid));
    try {
      const r = await client.request('account.register');
      return `the running UI is now ${r.state}`;
    } finally {
      client.close();
    }
  } catch (err) {
    if (err instanceof ProtocolError && err.code === ErrorCode.NOT_RUNNING) return 'the UI will use it when it starts';
    throw err;
  }
}

async function sandboxAccount(ctx: CliContext): Promise<Account> {
  const status = await readSandboxStatus(ctx.paths.sandboxDir);
  if (!status) throw new CliError(`no sandbox found at ${ctx.paths.sandboxDir} (run: voispeed sandbox start)`);
  if (!status.running) throw new CliError('the sandbox is not running (run: voispeed sandbox start)');
  const parsed = accountSchema.safeParse(status.account);
  // A status file written by another version of the sandbox may not fit this host's account schema.
  if (!parsed.success) throw new CliError(`this host cannot use the sandbox's account (${status.account.wsUrls.join(', ')}): ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function summary(a: Account): string {
  const secret = a.ha1 ? 'HA1 saved' : a.password !== undefined ? 'password saved' : 'no password';
  return `${a.uri} via ${a.wsUrls.join(', ')}${a.label ? ` (${a.label})` : ''}, ${secret}`;
}

/** The administrator's policies as the host sees them: the system file and the browser policy the host kept. */
async function policiesOf(ctx: CliContext): Promise<ManagedPolicies> {
  const problems: string[] = [];
  const policies = new ManagedPolicies(
    { system: systemSettingsFile(ctx.env, ctx.platform), browser: browserPolicyFile(ctx.paths) },
    { warn: (o, msg) => problems.push(`${(o as { key?: string }).key ?? ''}: ${msg}`), info: () => undefined },
  );
  await policies.load();
  for (const p of problems) ctx.err(`voispeed: ${p}`);
  return policies;
}

/** A managed account field is the administrator's: the CLI refuses to change it, naming it. */
function assertUnlocked(policies: ManagedPolicies, value: unknown): void {
  const hit = lockViolation(policies.combined().values, 'account', value);
  if (hit) throw new CliError(`${hit.field} is set by your administrator (${hit.key} in ${policies.where(hit.key)}) and cannot be changed with voispeed account`);
}

export const accountCommand: CliCommand = {
  name: 'account',
  usage: 'account set|show|clear [options]',
  summary: 'configure the SIP account (see voispeed account --help)',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const store = new SettingsStore(settingsFile(ctx.paths));
    if (sub === 'show') {
      const policies = await policiesOf(ctx);
      const { account } = applyManaged(await store.load(), policies.combined().values).settings;
      const managed = policies.combined().values;
      const locked = MANAGED_KEYS.filter((k) => k.section === 'account' && k.key in managed).map((k) => k.key);
      ctx.out(account ? `${summary(account)}${locked.length > 0 ? `; set by your administrator: ${locked.join(', ')}` : ''}` : 'no SIP account configured');
      return account ? 0 : 3;
    }
    if (sub === 'clear') {
      assertUnlocked(await policiesOf(ctx), null);
      await store.update(({ account: _drop, ...rest2 }) => rest2);
      ctx.out('account removed');
      return 0;
    }
    if (sub !== 'set') {
      ctx.out(
        [
          'usage: voispeed account set --server SERVER [--server BACKUP] --uri sip:USER@DOMAIN',
          '                            [--password-stdin | --ha1 HEX] [--auth-user U] [--realm R]',
          '                            [--display-name N] [--extension E] [--label L]',
          '                            [--tls-ca-file PEM]',
          '       SERVER: wss://host/path (WebRTC-ready PBX), sip:host[:port][;transport=udp|tcp|tls],',
          '               sips:host[:port], or a host name (NAPTR/SRV, else UDP 5060); --ws is the same',
          '       voispeed account set --sandbox     (the account of the local sandbox PBX)',
          '       voispeed account show | clear',
        ].join('\n'),
      );
      return sub ? 2 : 0;
    }
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        server: { type: 'string', multiple: true },
        /** The old name of --server, still accepted. */
        ws: { type: 'string', multiple: true },
        'tls-ca-file': { type: 'string' },
        uri: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        ha1: { type: 'string' },
        'auth-user': { type: 'string' },
        realm: { type: 'string' },
        'display-name': { type: 'string' },
        extension: { type: 'string' },
        label: { type: 'string' },
        sandbox: { type: 'boolean' },
      },
    });
    let candidate: Record<string, unknown>;
    if (values.sandbox) {
      candidate = await sandboxAccount(ctx);
    } else {
      candidate = {
        wsUrls: [...(values.server ?? []), ...(values.ws ?? [])],
        uri: values.uri,
        ...(values['auth-user'] ? { authUser: values['auth-user'] } : {}),
        ...(values.ha1 ? { ha1: values.ha1 } : {}),
        ...(values['password-stdin'] ? { password: await readStdin() } : {}),
        ...(values.realm ? { realm: values.realm } : {}),
        ...(values['display-name'] ? { displayName: values['display-name'] } : {}),
        ...(values.extension ? { extension: values.extension } : {}),
        ...(values.label ? { label: values.label } : {}),
        ...(values['tls-ca-file'] ? { tlsCaFile: values['tls-ca-file'] } : {}),
      };
    }
    const parsed = accountSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join('.') || 'account';
      // The user typed --server: name the option, not the stored key.
      const field = path.startsWith('wsUrls') ? `--server${path === 'wsUrls' ? '' : ` ${Number(path.split('.')[1] ?? 0) + 1}`}` : path;
      throw new CliError(`invalid ${field}: ${issue?.message ?? 'invalid'}`, 2);
    }
    assertUnlocked(await policiesOf(ctx), parsed.data);
    await store.update((s) => ({ ...s, account: parsed.data }));
    ctx.out(`account saved: ${summary(parsed.data)}; ${await reloadRunningHost(ctx)}`);
    return 0;
  },
};
