import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { numberForms } from '../../../../shared/phone/number-forms';
import type { ContactMatch, SearchHit } from '../../../../shared/protocol';
import { MAX_IMPORT_CHARS } from '../../../../shared/protocol/directory';
import { CliError, type CliCommand } from '../command';
import { withHost } from './host-client';

function describeContact(c: ContactMatch): string {
  return `${c.name}${c.company ? ` (${c.company})` : ''} [${c.source}]${c.link ? ` ${c.link}` : ''}`;
}

function describeHit(h: SearchHit): string {
  return `${h.name}${h.company ? ` (${h.company})` : ''}: ${h.numbers.map((n) => (n.label ? `${n.number} [${n.label}]` : n.number)).join(', ')}`;
}

/** `voispeed lookup`: who a number is, or who matches a name (issue 18). */
export const lookupCommand: CliCommand = {
  name: 'lookup',
  usage: 'lookup <number|name> [--json]',
  summary: 'who a number is (contacts, LDAP, CRM), or the contacts and directory entries matching a name',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
    const query = positionals.join(' ').trim();
    if (!query) throw new CliError('usage: voispeed lookup <number|name> [--json]', 2);
    if (numberForms(query)) {
      const { contact } = await withHost(ctx, (c) => c.request('directory.lookup', { number: query }));
      if (values.json) ctx.out(JSON.stringify(contact ?? null));
      else if (contact) ctx.out(describeContact(contact));
      if (!contact) {
        if (values.json) return 1;
        throw new CliError(`nobody known for ${query.slice(0, 64)}`);
      }
      return 0;
    }
    const result = await withHost(ctx, (c) => c.request('directory.search', { query: query.slice(0, 128) }));
    if (values.json) ctx.out(JSON.stringify(result));
    else for (const hit of result.hits) ctx.out(describeHit(hit));
    if (result.ldap === 'failed') ctx.err('voispeed: the LDAP directory did not answer; contacts only');
    if (result.hits.length === 0 && !values.json) throw new CliError(`nobody matches "${query.slice(0, 64)}"`);
    return result.hits.length > 0 ? 0 : 1;
  },
};

/** `voispeed contacts import <file>`: CSV (Outlook, Google) or vCard into the local contacts. */
export const contactsCommand: CliCommand = {
  name: 'contacts',
  usage: 'contacts import <file> [--format csv|vcard]',
  summary: 'import contacts from a CSV (Outlook, Google) or vCard 3/4 file; unreadable lines are listed',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { format: { type: 'string' }, json: { type: 'boolean' } } });
    const [verb, file] = positionals;
    if (verb !== 'import' || !file) throw new CliError(`usage: voispeed ${this.usage}`, 2);
    const format = values.format ?? (/\.(vcf|vcard)$/i.test(file) ? 'vcard' : 'csv');
    if (format !== 'csv' && format !== 'vcard') throw new CliError('--format is csv or vcard', 2);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    if (text.length > MAX_IMPORT_CHARS) throw new CliError(`${file} is too big to import at once (over ${MAX_IMPORT_CHARS} characters): split it`);
    const result = await withHost(ctx, (c) => c.request('contacts.import', { format, text }, 60_000));
    if (values.json) ctx.out(JSON.stringify(result));
    else {
      ctx.out(`${result.imported} contacts imported (${result.total} in all)`);
      for (const p of result.problems) ctx.err(`${file}:${p.line}: ${p.reason}`);
    }
    return result.problems.length > 0 && result.imported === 0 ? 1 : 0;
  },
};
