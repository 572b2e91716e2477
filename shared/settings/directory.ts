import * as z from 'zod';

/**
 * Where caller names come from (issue 18), after the local contacts: an LDAP directory, then a
 * CRM lookup URL. Secrets (the bind password, the CRM header's value) stay in the host like the
 * SIP password: a client sees only whether one is saved (shared/settings/index.ts).
 */

const attribute = z.lazy(() => z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'an LDAP attribute name is letters, digits and -'));

/** Placeholders of the LDAP filter templates: the number in its forms, or one typed word. */
export const LDAP_NUMBER_PLACEHOLDERS = ['{e164}', '{national}', '{number}'] as const;

export const ldapSettingsSchema = z.lazy(() => z.strictObject({
  enabled: z.boolean().default(false),
  /** ldap://host[:port] or ldaps://host[:port]. */
  url: z
    .string()
    .trim()
    .max(512)
    .regex(/^ldaps?:\/\/[^\s/?#]+\/?$/i, 'must be ldap://host[:port] or ldaps://host[:port]')
    .or(z.literal(''))
    .default(''),
  /** Upgrade ldap:// with StartTLS before binding. */
  startTls: z.boolean().default(false),
  /** PEM of the CA that signed the server's certificate, for ldaps:// and StartTLS (empty: the system's CAs). */
  caCertificate: z
    .string()
    .max(16_384)
    .refine((v) => v === '' || /-----BEGIN CERTIFICATE-----/.test(v), 'a PEM certificate (-----BEGIN CERTIFICATE-----)')
    .default(''),
  bindDn: z.string().max(512).default(''),
  password: z.string().max(256).optional(),
  baseDn: z.string().max(512).default(''),
  /** Filter for a number: `{e164}`, `{national}`, `{number}` (as dialled) are replaced, RFC 4515-escaped. */
  filter: z.string().trim().min(3).max(1024).default('(|(telephoneNumber={e164})(telephoneNumber={national})(mobile={e164})(mobile={national})(telephoneNumber={number}))'),
  /** Filter for one typed word of a name search (`{word}`); the words' filters are ANDed. */
  searchFilter: z.string().trim().min(3).max(1024).default('(|(cn=*{word}*)(o=*{word}*))'),
  nameAttribute: attribute.default('cn'),
  companyAttribute: attribute.default('o'),
  numberAttributes: z.array(attribute).min(1).max(8).default(['telephoneNumber', 'mobile']),
}));
export type LdapSettings = z.infer<typeof ldapSettingsSchema>;

const jsonPath = z.lazy(() => z.string().max(200).regex(/^[A-Za-z0-9_$.[\]-]*$/, 'a path such as data.contact.name or items[0].name'));

export const crmLookupSettingsSchema = z.lazy(() => z.strictObject({
  enabled: z.boolean().default(false),
  /** https://crm.example/api/lookup?n=!01: Integra placeholders, values URL-encoded. */
  urlTemplate: z.string().trim().max(2048).default(''),
  /** An optional request header (an API key): its value is a secret kept by the host. */
  headerName: z
    .string()
    .regex(/^[A-Za-z0-9-]{0,64}$/, 'a header name is letters, digits and -')
    .default(''),
  headerValue: z.string().max(1024).regex(/^[^\u0000-\u001f\u007f]*$/, 'a header value is one line').optional(),
  format: z.enum(['json', 'text']).default('json'),
  namePath: jsonPath.default('name'),
  companyPath: jsonPath.default('company'),
  linkPath: jsonPath.default('link'),
  /** How long an answer (a name, or "not found") is reused. */
  cacheSeconds: z.number().int().min(0).max(86_400).default(300),
}));
export type CrmLookupSettings = z.infer<typeof crmLookupSettingsSchema>;

export const directorySettingsSchema = z.lazy(() => z.strictObject({
  ldap: ldapSettingsSchema.default(ldapSettingsSchema.parse({})),
  crm: crmLookupSettingsSchema.default(crmLookupSettingsSchema.parse({})),
}));
export type DirectorySettings = z.infer<typeof directorySettingsSchema>;
let defaultDirectoryValue: DirectorySettings | undefined;
/** The section with every default filled in (its schema's), built on first use: one shared object, never changed. */
export const defaultDirectory = (): DirectorySettings => (defaultDirectoryValue ??= directorySettingsSchema.parse({}));

/** What a client sees: whether a secret is saved, never the secret. */
export const publicDirectorySchema = z.lazy(() => z.object({
  ldap: ldapSettingsSchema.unwrap().omit({ password: true }).extend({ passwordSaved: z.boolean() }),
  crm: crmLookupSettingsSchema.unwrap().omit({ headerValue: true }).extend({ headerValueSaved: z.boolean() }),
}));
export type PublicDirectory = z.infer<typeof publicDirectorySchema>;

export function publicDirectory(d: DirectorySettings): PublicDirectory {
  const { password, ...ldap } = d.ldap;
  const { headerValue, ...crm } = d.crm;
  return { ldap: { ...ldap, passwordSaved: !!password }, crm: { ...crm, headerValueSaved: !!headerValue } };
}

/**
 * The options page never receives the secrets, so a directory section saved without a new one
 * keeps the saved one (as the account's password is kept).
 */
export function keepDirectorySecrets(value: unknown, saved: DirectorySettings | undefined): unknown {
  if (typeof value !== 'object' || value === null || !saved) return value;
  const v = value as { ldap?: Record<string, unknown>; crm?: Record<string, unknown> };
  const ldap = v.ldap && typeof v.ldap === 'object' ? { ...v.ldap } : v.ldap;
  const crm = v.crm && typeof v.crm === 'object' ? { ...v.crm } : v.crm;
  if (ldap) {
    delete ldap.passwordSaved;
    if (ldap.password === undefined && saved.ldap.password !== undefined) ldap.password = saved.ldap.password;
  }
  if (crm) {
    delete crm.headerValueSaved;
    if (crm.headerValue === undefined && saved.crm.headerValue !== undefined) crm.headerValue = saved.crm.headerValue;
  }
  return { ...v, ...(ldap ? { ldap } : {}), ...(crm ? { crm } : {}) };
}
