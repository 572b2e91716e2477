import { accountSchema } from '../../../shared/protocol/account';
import { sectionOf, sectionSchemas, type Settings } from '../../../shared/settings';
import { managedFieldsOf, type ManagedSection, type ManagedValues } from '../../../shared/settings/managed';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The settings the host runs with: the user's file with every managed field laid over it (a
 * managed value always wins). A section the two make invalid together is reported and, for the
 * account, left out: registering the user's old account would break the administrator's lock.
 */
export function applyManaged(user: Settings, values: ManagedValues): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  let next: Settings = user;
  const account = managedFieldsOf(values, 'account');
  if (Object.keys(account).length > 0) {
    const base: Record<string, unknown> = { ...(user.account ?? {}) };
    // The managed HA1 is the secret: a password the user saved belongs to the account it replaces.
    if ('ha1' in account) delete base.password;
    const merged = accountSchema.safeParse({ ...base, ...account });
    if (merged.success) next = { ...next, account: merged.data };
    else {
      const { account: _drop, ...rest } = next;
      next = rest;
      const issue = merged.error.issues[0];
      problems.push(`managed account incomplete: account.${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'} (set AccountServers and AccountUri)`);
    }
  }
  for (const section of ['integra', 'hotkeys', 'directory'] as const satisfies readonly ManagedSection[]) {
    const fields = managedFieldsOf(values, section);
    if (Object.keys(fields).length === 0) continue;
    // Over the user's section first; if the two clash (the user's dial hotkey is the managed show
    // one), over the defaults: the managed fields still win. Nested objects (directory.ldap) merge one level down.
    const mine = sectionOf(user, section) as Record<string, unknown>;
    const laid = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, isObject(v) && isObject(mine[k]) ? { ...mine[k], ...v } : v]));
    const over = sectionSchemas[section].safeParse({ ...mine, ...laid });
    const merged = over.success ? over : sectionSchemas[section].safeParse(fields);
    if (merged.success) next = { ...next, [section]: merged.data };
    else problems.push(`managed ${section} refused: ${merged.error.issues[0]?.message ?? 'invalid'}`);
  }
  return { settings: next, problems };
}
