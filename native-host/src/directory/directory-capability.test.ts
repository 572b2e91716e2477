import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicSettings } from '../../../shared/settings';
import type { CallInfo, ContactMatch } from '../../../shared/protocol';
import { startCrmFixture, type CrmFixture } from '../../../tests/support/crm-fixture';
import { SettingsService } from '../settings/settings-service';
import { SettingsStore } from '../settings/settings-store';
import type { CallManager } from '../sip/call-manager';
import type { RegistrationService } from '../sip/registration';
import { startDirectory, type Directory } from './directory-capability';

const log = pino({ level: 'silent' });
let root: string;
let service: SettingsService;
let directory: Directory;
let crm: CrmFixture;
const ctx = {} as never;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'voispeed-directory-'));
  service = new SettingsService(new SettingsStore(join(root, 'settings.json')));
  await service.load();
  crm = await startCrmFixture({ '0611111111': { name: 'Da CRM', company: 'CRM Srl', link: 'https://crm.example/1' } });
  directory = startDirectory({ log, stateDir: join(root, 'state'), settings: service, registration: { account: () => undefined } as unknown as RegistrationService });
  await directory.ready;
});
afterEach(async () => {
  await directory.stop();
  await crm.close();
  await rm(root, { recursive: true, force: true });
});

/** A call manager reduced to what the directory uses: its change listeners and setContact. */
function fakeCalls() {
  const listeners: ((c: CallInfo) => void)[] = [];
  const named: [string, ContactMatch][] = [];
  let resolveNamed: () => void = () => undefined;
  const namedOnce = new Promise<void>((r) => (resolveNamed = r));
  const calls = {
    onChange: (l: (c: CallInfo) => void) => void listeners.push(l),
    setContact: (id: string, contact: ContactMatch) => {
      named.push([id, contact]);
      resolveNamed();
    },
  } as unknown as CallManager;
  const emit = (c: CallInfo) => listeners.forEach((l) => l(c));
  return { calls, named, namedOnce, emit };
}

const call = (number: string, over: Partial<CallInfo> = {}): CallInfo => ({ id: `c-${number}`, direction: 'in', state: 'ringing-in', remote: { number, uri: `sip:${number}@x` }, muted: false, onHold: false, remoteHold: false, startedAt: 0, ...over });

describe('the directory capability', () => {
  it('imports contacts into a 0600 file, and names a number from them at once', async () => {
    const result = await directory.handlers['contacts.import']({ format: 'csv', text: 'Name,Mobile Phone\nMario Rossi,+39 333 123 4567\nBroken,\n' }, ctx);
    expect(result).toEqual({ imported: 1, total: 1, problems: [{ line: 3, reason: 'no phone number for Broken' }] });
    const file = join(root, 'state', 'contacts.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).contacts).toEqual([{ name: 'Mario Rossi', numbers: [{ number: '+39 333 123 4567', label: 'Mobile Phone' }] }]);
    expect(directory.local('3331234567')).toEqual({ name: 'Mario Rossi', source: 'contacts' });
    await expect(directory.handlers['directory.search']({ query: 'ross' }, ctx)).resolves.toMatchObject({ hits: [{ name: 'Mario Rossi' }], ldap: 'off' });
  });

  it('names a call with a later change once the CRM answered, and never a call the contacts named', async () => {
    await service.set('directory', { ldap: {}, crm: { enabled: true, urlTemplate: `${crm.origin}/lookup?n=!01`, namePath: 'data.contact.name', companyPath: 'data.contact.company', linkPath: 'data.contact.url' } });
    const { calls, named, namedOnce, emit } = fakeCalls();
    directory.nameCalls(calls);
    emit(call('0611111111'));
    emit(call('0611111111', { state: 'active' }));
    emit(call('201', { contact: { name: 'Local', source: 'contacts' } }));
    await namedOnce;
    expect(named).toEqual([['c-0611111111', { name: 'Da CRM', company: 'CRM Srl', link: 'https://crm.example/1', source: 'crm' }]]);
    expect(crm.requests.map((r) => r.query.n)).toEqual(['0611111111']);
  });

  it('keeps the CRM header value and the bind password in the host', async () => {
    await service.set('directory', { ldap: { url: 'ldap://127.0.0.1:1', password: 'bind-secret' }, crm: { headerName: 'X-Key', headerValue: 'api-secret' } });
    const shown = publicSettings(service.peek()!);
    expect(JSON.stringify(shown)).not.toMatch(/bind-secret|api-secret/);
    expect(shown.directory).toMatchObject({ ldap: { passwordSaved: true }, crm: { headerValueSaved: true } });
    // Saved again from the options page, which never had the secrets.
    await service.set('directory', shown.directory);
    expect(service.peek()!.directory).toMatchObject({ ldap: { password: 'bind-secret' }, crm: { headerValue: 'api-secret' } });
  });

  it('leaves an unreadable contacts file alone and says so', async () => {
    await directory.stop();
    await writeFile(join(root, 'state', 'contacts.json'), '{not json', { mode: 0o600 }).catch(async () => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(root, 'state'), { recursive: true });
      await writeFile(join(root, 'state', 'contacts.json'), '{not json', { mode: 0o600 });
    });
    directory = startDirectory({ log, stateDir: join(root, 'state'), settings: service, registration: { account: () => undefined } as unknown as RegistrationService });
    await directory.ready;
    await expect(directory.handlers['contacts.add']({ name: 'X', number: '0612345678' }, ctx)).rejects.toThrow(/unreadable and were left as they are/);
    expect(await readFile(join(root, 'state', 'contacts.json'), 'utf8')).toBe('{not json');
  });
});
