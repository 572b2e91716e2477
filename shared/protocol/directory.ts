import * as z from 'zod';
import { defineMethod } from './define';

/**
 * Caller names (issue 18): who a number is, from the local contacts, the LDAP directory, the CRM
 * lookup URL, or the PBX's display name; and the search behind dial by name.
 */

const text = z.lazy(() => z.string().max(256));

/** Where a name was found, in the order they are asked. */
export const contactSourceSchema = z.enum(['contacts', 'ldap', 'crm', 'pbx']);
export type ContactSource = z.infer<typeof contactSourceSchema>;

/** Who a number belongs to. `link` (http/https only) opens the contact's CRM page. */
export const contactMatchSchema = z.lazy(() => z.object({
  name: text,
  company: text.optional(),
  link: z.string().max(2048).optional(),
  source: contactSourceSchema,
}));
export type ContactMatch = z.infer<typeof contactMatchSchema>;

/** One entry of a name search: a name and the numbers it can be called on. */
export const searchHitSchema = z.lazy(() => z.object({
  name: text,
  company: text.optional(),
  numbers: z.array(z.object({ number: z.string().max(64), label: z.string().max(64).optional() })).max(8),
  source: z.enum(['contacts', 'ldap']),
}));
export type SearchHit = z.infer<typeof searchHitSchema>;

/** Who a number is: the same pipeline as an incoming call (`contact` absent: nobody known). */
export const lookup = defineMethod({
  method: 'directory.lookup',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ number: z.string().min(1).max(128) }),
  result: () => z.object({ contact: contactMatchSchema.optional() }),
});

/**
 * Dial by name: contacts and the LDAP directory searched for every typed word (case, diacritics
 * and word order ignored). Local contacts come first and at once; `ldap` says whether the
 * directory answered (`'off'` when not configured).
 */
export const search = defineMethod({
  method: 'directory.search',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ query: z.string().min(1).max(128), limit: z.number().int().min(1).max(50).optional() }),
  result: () => z.object({ hits: z.array(searchHitSchema), ldap: z.enum(['ok', 'off', 'failed']) }),
});

/** One step of a lookup test: what each source answered, failures in words for the options page. */
export const testStepSchema = z.lazy(() => z.object({
  source: z.enum(['contacts', 'ldap', 'crm']),
  outcome: z.enum(['found', 'not-found', 'off', 'failed']),
  ms: z.number().nonnegative(),
  contact: contactMatchSchema.optional(),
  /** Why it failed (English, from the server or the host: shown as received). */
  detail: z.string().max(512).optional(),
}));
export type TestStep = z.infer<typeof testStepSchema>;

/** Asks every source for a number, bypassing the cache, and reports each answer (the options' Test panel). */
export const test = defineMethod({
  method: 'directory.test',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ number: z.string().min(1).max(128) }),
  result: () => z.object({ steps: z.array(testStepSchema) }),
});

/** A line of an import file that was not imported, and why. */
export const importProblemSchema = z.lazy(() => z.object({ line: z.number().int().positive(), reason: z.string().max(256) }));
export type ImportProblem = z.infer<typeof importProblemSchema>;

/** An import file fits one frame to the host (4 MB, JSON-escaped): bigger files are split by the user. */
export const MAX_IMPORT_CHARS = 3_000_000;

/**
 * Adds contacts from a CSV (Outlook, Google) or vCard 3/4 file's text: what it can, the rest
 * reported by line number. Contacts with a number already known are updated, not doubled.
 */
export const importContacts = defineMethod({
  method: 'contacts.import',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ format: z.enum(['csv', 'vcard']), text: z.string().max(MAX_IMPORT_CHARS) }),
  result: () => z.object({ imported: z.number().int(), total: z.number().int(), problems: z.array(importProblemSchema).max(200) }),
});

/** Adds (or renames) one contact, e.g. from a Recent entry. */
export const addContact = defineMethod({
  method: 'contacts.add',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ name: z.string().trim().min(1).max(128), company: z.string().max(128).optional(), number: z.string().min(1).max(64) }),
  result: () => z.object({ total: z.number().int() }),
});
