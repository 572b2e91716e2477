import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { ErrorCode, ProtocolError, type CallInfo } from '../../../shared/protocol';
import { defaultSettings, sectionOf } from '../../../shared/settings';
import type { Capability } from '../capability';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import type { CallManager } from '../sip/call-manager';
import type { RegistrationService } from '../sip/registration';
import { CallerNames } from './caller-names';
import type { Contact, ImportResult } from './contact';
import { ContactIndex } from './contact-index';
import { ContactsStore, mergeContacts } from './contacts-store';

type DirectoryMethods = 'directory.lookup' | 'directory.search' | 'directory.test' | 'contacts.import' | 'contacts.add';

export interface DirectoryDeps {
  log: Logger;
  stateDir: string;
  settings: SettingsService;
  registration: RegistrationService;
}

export interface Directory extends Capability<DirectoryMethods> {
  /** The local contacts' name for a number, at once (the call manager names a call's first event with it). */
  local(number: string): ReturnType<CallerNames['local']>;
  /** Names the calls of this manager: a lookup per new call, its answer as a later `call` event. */
  nameCalls(calls: CallManager): void;
  /** Resolves once the saved contacts are loaded (tests, benchmarks). */
  readonly ready: Promise<void>;
}

/**
 * Caller names and dial by name (native-host/src/directory/, issue 18): the local contacts
 * (contacts.json in the state folder), the LDAP directory and the CRM lookup URL.
 */
export function startDirectory(deps: DirectoryDeps): Directory {
  const log = deps.log.child({ module: 'directory' });
  const all = () => deps.settings.peek() ?? defaultSettings();
  const country = (): CountryCode => {
    const c = sectionOf(all(), 'preferences').dialFormat.defaultCountry;
    return isSupportedCountry(c) ? (c as CountryCode) : 'IT';
  };
  const store = new ContactsStore(deps.stateDir);
  let contacts: Contact[] = [];
  let index = new ContactIndex([], country());
  let unreadable: string | undefined;
  let writing = Promise.resolve();
  const names = new CallerNames({
    log,
    settings: () => sectionOf(all(), 'directory'),
    country,
    contacts: () => index,
    ownExtension: () => deps.registration.account()?.extension,
  });
  const unsubscribe = deps.settings.onChange((_s, section) => {
    if (section === 'directory') names.forget();
    if (section === 'preferences') index = new ContactIndex(contacts, country());
  });

  const ready = store.load().then(
    (saved) => {
      contacts = saved;
      index = new ContactIndex(contacts, country());
      log.info({ contacts: contacts.length }, 'contacts loaded');
    },
    (err: unknown) => {
      // Never overwritten: an import is refused until the file is readable again.
      unreadable = (err as Error).message;
      log.error({ err, path: store.path }, 'contacts unreadable');
    },
  );

  const add = (incoming: Contact[]): Promise<number> => {
    const run = async () => {
      await ready;
      if (unreadable !== undefined) throw new ProtocolError(ErrorCode.INTERNAL, `the saved contacts (${store.path}) are unreadable and were left as they are: ${unreadable}`);
      const merged = mergeContacts(contacts, incoming, (n) => index.keyOf(n));
      await store.save(merged.contacts);
      contacts = merged.contacts;
      index = new ContactIndex(contacts, country());
      names.forget();
      return merged.changed;
    };
    const result = writing.then(run, run);
    writing = result.then(() => undefined, () => undefined);
    return result;
  };

  const handlers: Capability<DirectoryMethods>['handlers'] = {
    'directory.lookup': async (p) => {
      const contact = await names.lookup(p.number);
      return contact ? { contact } : {};
    },
    'directory.search': async (p) => (await ready, names.search(p.query, p.limit ?? 20)),
    'directory.test': async (p) => ({ steps: await names.test(p.number) }),
    'contacts.import': async (p) => {
      // The parsers (csv-parse, ical.js) are evaluated with the first import, not at host start.
      const read: ImportResult = p.format === 'csv' ? (await import('./csv-contacts')).parseCsvContacts(p.text) : (await import('./vcard-contacts')).parseVcardContacts(p.text);
      const imported = read.contacts.length > 0 ? await add(read.contacts) : 0;
      log.info({ format: p.format, imported, problems: read.problems.length }, 'contacts imported');
      return { imported, total: contacts.length, problems: read.problems.slice(0, 200) };
    },
    'contacts.add': async (p) => {
      if (!index.keyOf(p.number)) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `"${p.number.slice(0, 40)}" is not a phone number`);
      await add([{ name: p.name, ...(p.company ? { company: p.company } : {}), numbers: [{ number: p.number }] }]);
      return { total: contacts.length };
    },
  };

  return {
    ready,
    handlers,
    events: [],
    local: (number) => names.local(number),
    nameCalls(calls) {
      const asked = new Set<string>();
      calls.onChange((call: CallInfo) => {
        if (call.state === 'ended') return void asked.delete(call.id);
        if (asked.has(call.id) || call.contact || !call.remote.number) return;
        asked.add(call.id);
        const started = performance.now();
        names.lookup(call.remote.number, { direction: call.direction, callId: call.id }).then(
          (contact) => {
            if (!contact) return;
            log.info({ id: call.id, source: contact.source, ms: Math.round(performance.now() - started) }, 'caller named');
            calls.setContact(call.id, contact);
          },
          (err: unknown) => log.warn({ id: call.id, err }, 'caller lookup failed'),
        );
      });
    },
    stop() {
      unsubscribe();
      return writing;
    },
  };
}
