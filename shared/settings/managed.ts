import * as z from 'zod';
import { accountSchema } from '../protocol/account';
import { crmLookupSettingsSchema, ldapSettingsSchema } from './directory';
import { combinationSchema } from './hotkeys';
import { integraRulesSchema, patternSchema } from './integra';

/**
 * Settings an administrator sets for many desks (issue 16): the ONE list of managed keys. The same
 * key names are read from Chrome/Edge managed storage (the manifest's managed_schema is generated
 * from this list), from Firefox's policies.json `3rdparty` block, and from the system file
 * (/etc/voispeed/settings.json, %ProgramData%\voispeed\settings.json). Flat keys, as Chrome's own
 * policies are: one key locks one settings field. docs/provisioning.md's table and examples are
 * generated from here too (shared/settings/managed-docs.test.ts fails when they drift).
 */

/** How a key is typed in a policy (Chrome's schema has no unions): decides the Chrome schema and the docs' type. */
export type ManagedKind = 'string' | 'boolean' | 'string-list' | 'rules';

export interface ManagedKeyDef {
  key: string;
  section: 'account' | 'integra' | 'hotkeys' | 'directory';
  /** The field in its section; a dotted path reaches into a nested object (`ldap.url`). */
  field: string;
  kind: ManagedKind;
  /** The field's own schema from the settings: a managed value is valid exactly when a user's would be. */
  schema: z.ZodType;
  description: string;
  example: unknown;
}

const a = accountSchema.unwrap().shape;
const l = ldapSettingsSchema.unwrap().shape;
const c = crmLookupSettingsSchema.unwrap().shape;
const def = (d: ManagedKeyDef) => d;

export const MANAGED_KEYS = [
  def({ key: 'AccountServers', section: 'account', field: 'wsUrls', kind: 'string-list', schema: a.wsUrls, description: 'WebSocket URL of the PBX (ws:// or wss://), then an optional backup.', example: ['wss://pbx.example.com:8089/ws'] }),
  def({ key: 'AccountUri', section: 'account', field: 'uri', kind: 'string', schema: a.uri, description: 'SIP address of record, sip:USER@DOMAIN.', example: 'sip:201@pbx.example.com' }),
  def({ key: 'AccountAuthUser', section: 'account', field: 'authUser', kind: 'string', schema: a.authUser.unwrap(), description: 'Authentication user name, when it is not the user part of AccountUri.', example: '201' }),
  def({ key: 'AccountHa1', section: 'account', field: 'ha1', kind: 'string', schema: a.ha1.unwrap(), description: 'Digest HA1 = md5(user:realm:password), 32 hex digits. The only secret a policy may carry: a plain password is refused.', example: '6f8b5c1e2d3a4b5c6d7e8f9a0b1c2d3e' }),
  def({ key: 'AccountRealm', section: 'account', field: 'realm', kind: 'string', schema: a.realm.unwrap(), description: 'Digest realm the HA1 was computed for (default: the domain of AccountUri).', example: 'pbx.example.com' }),
  def({ key: 'AccountDisplayName', section: 'account', field: 'displayName', kind: 'string', schema: a.displayName.unwrap(), description: 'Name shown to the people called.', example: 'Reception' }),
  def({ key: 'AccountExtension', section: 'account', field: 'extension', kind: 'string', schema: a.extension.unwrap(), description: 'Own extension number (Integra !00).', example: '201' }),
  def({ key: 'IntegraEnabled', section: 'integra', field: 'enabled', kind: 'boolean', schema: z.boolean(), description: 'Run the Integra rules on call events.', example: true }),
  def({ key: 'IntegraOnlyExternal', section: 'integra', field: 'onlyExternal', kind: 'boolean', schema: z.boolean(), description: 'Run no rule for calls between extensions.', example: true }),
  def({ key: 'IntegraInternalPattern', section: 'integra', field: 'internalPattern', kind: 'string', schema: patternSchema, description: 'Regular expression on the remote number that marks a call as internal.', example: '^[0-9]{1,4}$' }),
  def({ key: 'IntegraRules', section: 'integra', field: 'rules', kind: 'rules', schema: integraRulesSchema, description: 'Integra rules: {id, events, action: "command" or "url", template, enabled}.', example: [{ id: 'crm', events: ['CALL_IN'], action: 'url', template: 'https://crm.example.com/lookup?number=!01' }] }),
  def({ key: 'HotkeysEnabled', section: 'hotkeys', field: 'enabled', kind: 'boolean', schema: z.boolean(), description: 'System-wide hotkeys on or off.', example: true }),
  def({ key: 'HotkeyDial', section: 'hotkeys', field: 'dial', kind: 'string', schema: combinationSchema.unwrap(), description: 'Hotkey that calls the highlighted number, e.g. Ctrl+Alt+Shift+D.', example: 'Ctrl+Alt+Shift+D' }),
  def({ key: 'DirectoryLdapEnabled', section: 'directory', field: 'ldap.enabled', kind: 'boolean', schema: z.boolean(), description: 'Look up callers in the LDAP directory.', example: true }),
  def({ key: 'DirectoryLdapUrl', section: 'directory', field: 'ldap.url', kind: 'string', schema: l.url.removeDefault(), description: 'LDAP server, ldap://host[:port] or ldaps://host[:port]. The bind password stays the user\'s to enter.', example: 'ldaps://ldap.example.com' }),
  def({ key: 'DirectoryLdapStartTls', section: 'directory', field: 'ldap.startTls', kind: 'boolean', schema: z.boolean(), description: 'Upgrade ldap:// with StartTLS before binding.', example: false }),
  def({ key: 'DirectoryLdapBindDn', section: 'directory', field: 'ldap.bindDn', kind: 'string', schema: l.bindDn.removeDefault(), description: 'DN to bind with (empty: anonymous).', example: 'cn=reader,dc=example,dc=com' }),
  def({ key: 'DirectoryLdapBaseDn', section: 'directory', field: 'ldap.baseDn', kind: 'string', schema: l.baseDn.removeDefault(), description: 'Where the directory search starts.', example: 'ou=people,dc=example,dc=com' }),
  def({ key: 'DirectoryLdapFilter', section: 'directory', field: 'ldap.filter', kind: 'string', schema: l.filter.removeDefault(), description: 'Filter for a number: {e164}, {national}, {number} are replaced, RFC 4515-escaped.', example: '(|(telephoneNumber={e164})(mobile={e164}))' }),
  def({ key: 'DirectoryCrmEnabled', section: 'directory', field: 'crm.enabled', kind: 'boolean', schema: z.boolean(), description: 'Look up callers with the CRM lookup URL.', example: true }),
  def({ key: 'DirectoryCrmUrl', section: 'directory', field: 'crm.urlTemplate', kind: 'string', schema: c.urlTemplate.removeDefault(), description: 'CRM lookup URL with Integra placeholders (!01 the number), answering JSON or text.', example: 'https://crm.example.com/api/lookup?n=!01' }),
  def({ key: 'HotkeyShow', section: 'hotkeys', field: 'show', kind: 'string', schema: combinationSchema.unwrap(), description: 'Hotkey that brings the phone window to the front.', example: 'Ctrl+Alt+Shift+P' }),
] as const satisfies readonly ManagedKeyDef[];

export type ManagedKey = (typeof MANAGED_KEYS)[number]['key'];
export type ManagedSection = ManagedKeyDef['section'];
/** Valid managed values by key. */
export type ManagedValues = Partial<Record<ManagedKey, unknown>>;

const byKey = new Map<string, ManagedKeyDef>(MANAGED_KEYS.map((k) => [k.key, k]));
export function managedKeyDef(key: string): ManagedKeyDef | undefined {
  return byKey.get(key);
}

/** Where a managed value came from, for messages: "set by your administrator (AccountUri in …)". */
export type ManagedSource = 'system' | 'browser';

export interface ManagedProblem {
  key: string;
  reason: string;
}

/**
 * A policy object as a browser or the system file gives it, checked key by key: a bad key is
 * dropped with its reason and the others still apply. A plain password is refused by name.
 * Total: any JSON value in, never a throw.
 */
export function parseManagedPolicy(raw: unknown): { values: ManagedValues; problems: ManagedProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ManagedProblem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (raw !== undefined && raw !== null) problems.push({ key: '(root)', reason: 'the policy must be a JSON object of keys' });
    return { values, problems };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (/^(Account)?Password$/i.test(key)) {
      problems.push({ key, reason: 'a managed plain password is refused; give AccountHa1 = md5(user:realm:password) and AccountRealm instead' });
      continue;
    }
    const d = byKey.get(key);
    if (!d) {
      problems.push({ key, reason: 'not a VOIspeed policy key (ignored)' });
      continue;
    }
    const parsed = d.schema.safeParse(value);
    if (!parsed.success) problems.push({ key, reason: `${parsed.error.issues[0]?.message ?? 'invalid'} (ignored)` });
    else values[key] = parsed.data;
  }
  return { values: values as ManagedValues, problems };
}

/**
 * The system file and the browser policy together, key by key. The system file wins: it is laid
 * down on the machine by its administrator and holds whichever browser (or none: the CLI, the URL
 * handler) reaches the host, while two browsers of one user may carry different policies.
 */
export function combineManaged(system: ManagedValues, browser: ManagedValues): { values: ManagedValues; sources: Partial<Record<ManagedKey, ManagedSource>> } {
  const sources: Partial<Record<ManagedKey, ManagedSource>> = {};
  for (const k of Object.keys(browser) as ManagedKey[]) sources[k] = 'browser';
  for (const k of Object.keys(system) as ManagedKey[]) sources[k] = 'system';
  return { values: { ...browser, ...system }, sources };
}

/** The settings fields the managed values lock, as `section.field` ("account.uri"). */
export function lockedFields(values: ManagedValues): string[] {
  const out: string[] = [];
  for (const d of MANAGED_KEYS) {
    if (!(d.key in values)) continue;
    out.push(`${d.section}.${d.field}`);
    // A managed HA1 is the account's secret: the user may not give a password beside it.
    if (d.key === 'AccountHa1') out.push('account.password');
  }
  return out;
}

/** The managed fields of one section, as a partial section object (a dotted field nests: `{ldap: {url}}`). */
export function managedFieldsOf(values: ManagedValues, section: ManagedSection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of MANAGED_KEYS) {
    if (d.section !== section || !(d.key in values)) continue;
    const path = d.field.split('.');
    let at = out;
    for (const step of path.slice(0, -1)) at = (at[step] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]!] = values[d.key];
  }
  return out;
}

/** The value at a dotted field of a section value (undefined when any step is missing). */
function fieldOf(value: Record<string, unknown>, field: string): unknown {
  let at: unknown = value;
  for (const step of field.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[step] : undefined;
  return at;
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/**
 * The first locked field a user's section value would change, or undefined. A field the value
 * leaves out, or gives as the managed value, changes nothing; `null` means the whole section is
 * being removed (`voispeed account clear`).
 */
export function lockViolation(values: ManagedValues, section: string, value: unknown): { field: string; key: ManagedKey } | undefined {
  for (const d of MANAGED_KEYS) {
    if (d.section !== section || !(d.key in values)) continue;
    if (value === null) return { field: `${d.section}.${d.field}`, key: d.key };
    if (typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    const given = fieldOf(v, d.field);
    if (given !== undefined && !same(given, values[d.key])) return { field: `${d.section}.${d.field}`, key: d.key };
    if (d.key === 'AccountHa1' && v.password !== undefined) return { field: 'account.password', key: d.key };
  }
  return undefined;
}
