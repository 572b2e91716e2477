import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { numberKey } from '../../../shared/phone/number-forms';
import { writeJsonAtomic } from '../fs/atomic-write';
import type { Contact } from './contact';

const fileSchema = z.object({
  version: z.literal(1),
  contacts: z.array(
    z.object({
      name: z.string().min(1).max(128),
      company: z.string().max(128).optional(),
      numbers: z.array(z.object({ number: z.string().min(1).max(64), label: z.string().max(64).optional() })).min(1).max(8),
    }),
  ),
});

/** At most this many local contacts (a big company's phone book; the index searches 10,000 in < 16 ms). */
export const MAX_CONTACTS = 50_000;

/** The local contacts: contacts.json in the state folder, 0600, written atomically. */
export class ContactsStore {
  readonly path: string;

  constructor(stateDir: string) {
    this.path = join(stateDir, 'contacts.json');
  }

  /** The saved contacts; none when the file is missing. An unreadable file is an error (never overwritten by a load). */
  async load(): Promise<Contact[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return fileSchema.parse(JSON.parse(text)).contacts as Contact[];
  }

  async save(contacts: readonly Contact[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeJsonAtomic(this.path, { version: 1, contacts }, 0o600);
  }
}

/**
 * Adds contacts to a list: one that shares a number with a saved one replaces it (an import
 * again updates, never doubles). Returns the new list and how many were added or updated.
 */
export function mergeContacts(saved: readonly Contact[], incoming: readonly Contact[], key: (n: string) => string | undefined = (n) => numberKey(n)): { contacts: Contact[]; changed: number } {
  const list = [...saved];
  const owner = new Map<string, number>();
  list.forEach((c, i) => c.numbers.forEach((n) => owner.set(key(n.number) ?? n.number, i)));
  let changed = 0;
  for (const c of incoming) {
    const at = c.numbers.map((n) => owner.get(key(n.number) ?? n.number)).find((i) => i !== undefined);
    if (at !== undefined) list[at] = c;
    else {
      if (list.length >= MAX_CONTACTS) break;
      list.push(c);
    }
    const index = at ?? list.length - 1;
    c.numbers.forEach((n) => owner.set(key(n.number) ?? n.number, index));
    changed++;
  }
  return { contacts: list, changed };
}
