import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectControl, type ControlClient } from '../../native-host/src/control/control-client';
import { freePort } from '../../native-host/src/sandbox/ports';
import { readSandboxDirectory, type SandboxDirectory } from '../../native-host/src/sandbox/slapd';
import { callCard, clickInCall, startCallRig, type CallRig } from '../support/call-rig';
import { extensionUrl } from '../support/chromium';
import { runCli } from '../support/cli';
import { startCrmFixture, type CrmFixture } from '../support/crm-fixture';
import { notificationsOf, recordNotifications } from '../support/notification-log';
import { sippPath, sippTrunkCall, sippTrunkRing } from '../support/sipp';

/**
 * Issue 18 as a user sees it: real Chromium with the extension, the host, the sandbox Kamailio,
 * the sandbox's real slapd (1,000 generated contacts, started by `voispeed sandbox start
 * --directory`), the CRM fixture server, and sipp calling through the sandbox's carrier trunk.
 */
const CRM_ONLY = '0612345678';
let rig: CallRig;
let crm: CrmFixture;
let directory: SandboxDirectory;
let control: ControlClient;

const slapdSearches = () =>
  readFileSync(directory.log, 'utf8')
    .split('\n')
    .map((l) => /SRCH base="[^"]*" scope=\d deref=\d filter="(.*)"$/.exec(l)?.[1])
    .filter((f): f is string => f !== undefined);

async function trunkCall(from: string) {
  return sippTrunkCall({ cwd: rig.root, trunkPort: rig.sandbox.ports.kamailioTrunk, domain: rig.sandbox.domain, from, to: '1001', sipPort: await freePort('udp'), mediaPort: await freePort('udp') });
}

/** The id of the ringing call from `number` (an earlier call's card may still be on its way out). */
async function ringingFrom(number: string): Promise<string> {
  const handle = await rig.popup.waitForFunction(
    (n: string) => [...document.querySelectorAll('[data-testid=call][data-state=ringing-in]')].find((e) => (e.textContent ?? '').includes(n))?.getAttribute('data-call-id'),
    { timeout: 15_000 },
    number,
  );
  return String(await handle.jsonValue());
}

/** Declines the ringing call in the popup and waits for sipp to finish. */
async function decline(id: string, call: { done: Promise<{ code: number; output: string }> }) {
  await clickInCall(rig.popup, id, 'call-decline');
  await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"]`, { hidden: true, timeout: 15_000 }).catch(() => undefined);
  await call.done;
}

describe.skipIf(!sippPath)('caller names in Chromium (LDAP, CRM, PBX name, dial by name)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    rig = await startCallRig('names');
    await recordNotifications(rig.worker);
    // The CLI path a user takes: the running sandbox gains its directory, the running UI its LDAP settings.
    const started = await runCli(rig.home, ['sandbox', 'start', '--directory'], 60_000);
    expect(started.code, started.err).toBe(0);
    expect(started.err).toContain('the running UI uses it now');
    directory = (await readSandboxDirectory(join(rig.home, 'sandbox')))!;
    expect(directory.entries).toBe(1000);
    crm = await startCrmFixture({ [CRM_ONLY]: { name: 'Giulia Verdi', company: 'Verdi CRM SpA', link: 'https://crm.example/contact/7' } });
    control = await connectControl(join(rig.home, 'run', 'control.sock'));
    const { settings } = await control.request('settings.get');
    const ldap = settings.directory!.ldap;
    expect(ldap.passwordSaved).toBe(true);
    expect(JSON.stringify(settings)).not.toContain(directory.password);
    await control.request('settings.set', {
      section: 'directory',
      value: {
        ldap,
        crm: { enabled: true, urlTemplate: `${crm.origin}/lookup?n=!01&call=!05`, headerName: 'X-Api-Key', headerValue: 'secret-key', namePath: 'data.contact.name', companyPath: 'data.contact.company', linkPath: 'data.contact.url', cacheSeconds: 60 },
      },
    });
  });
  afterAll(async () => {
    control?.close();
    await crm?.close();
    await runCli(rig.home, ['sandbox', 'stop'], 30_000).catch(() => undefined);
    await rig?.close();
  });

  it('the notification shows the caller at once and the LDAP name as soon as it is known', async () => {
    const call = await trunkCall('<sip:+390255500007@carrier.test>');
    const id = await ringingFrom('+390255500007');
    await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"] [data-testid=call-company]`, { timeout: 10_000 });
    const card = await rig.popup.$eval(`[data-testid=call][data-call-id="${id}"]`, (e) => e.textContent ?? '');
    expect(card).toContain('Giovanni Rossi');
    expect(card).toContain('Gatti Assicurazioni Snc');
    expect(card).toContain('+390255500007');
    await expect.poll(async () => (await notificationsOf(rig.worker, `incoming:${id}`)).at(-1)?.title, { timeout: 10_000 }).toBe('Incoming call from Giovanni Rossi');
    const notes = await notificationsOf(rig.worker, `incoming:${id}`);
    // The ring was not held for the lookup: the first notification named the number, an update the person.
    expect(notes[0]).toMatchObject({ kind: 'create', title: 'Incoming call from +390255500007' });
    expect(notes.at(-1)!.message).toContain('Gatti Assicurazioni Snc');
    await decline(id, call);
    await rig.popup.click('[data-testid=tab-recent]');
    const row = await rig.popup.waitForSelector('[data-testid=recent][data-number="+390255500007"]', { timeout: 10_000 });
    expect(await row!.evaluate((e) => e.textContent ?? '')).toContain('Giovanni Rossi');
    await rig.popup.click('[data-testid=tab-calls]');
  });

  it('a local contact (imported with voispeed contacts import) names the call in its first notification', async () => {
    const vcf = join(rig.root, 'contacts.vcf');
    writeFileSync(vcf, ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Niccolò Bianchi', 'ORG:Studio Bianchi', 'TEL;TYPE=CELL:+39 333 765 4321', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:3.0', 'FN:Senza Numero', 'END:VCARD', ''].join('\r\n'));
    const imported = await runCli(rig.home, ['contacts', 'import', vcf]);
    expect(imported).toMatchObject({ code: 0, out: '1 contacts imported (1 in all)', err: `${vcf}:7: no phone number for Senza Numero` });
    // The same number as written in the INVITE, in another form than the card's.
    const call = await trunkCall('<sip:00393337654321@carrier.test>');
    const id = await ringingFrom('00393337654321');
    const notes = await notificationsOf(rig.worker, `incoming:${id}`);
    expect(notes[0]).toMatchObject({ kind: 'create', title: 'Incoming call from Niccolò Bianchi' });
    expect(notes[0]!.message).toContain('Studio Bianchi');
    await decline(id, call);
  });

  it('a number only the CRM knows gets its name, company and link from the CRM', async () => {
    const seen = crm.nextRequest('/lookup');
    const call = await trunkCall(`<sip:${CRM_ONLY}@carrier.test>`);
    const id = await ringingFrom(CRM_ONLY);
    const request = await seen;
    expect(request.query).toEqual({ n: CRM_ONLY, call: id });
    expect(request.headers['x-api-key']).toBe('secret-key');
    const link = await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"] a[data-testid=call-name]`, { timeout: 10_000 });
    expect(await link!.evaluate((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target')])).toEqual(['Giulia Verdi', 'https://crm.example/contact/7', '_blank']);
    await expect.poll(async () => (await notificationsOf(rig.worker, `incoming:${id}`)).at(-1)?.title, { timeout: 10_000 }).toBe('Incoming call from Giulia Verdi');
    await decline(id, call);

    // Recent keeps the name, company and link; "Add to contacts" makes it a local contact.
    await rig.popup.click('[data-testid=tab-recent]');
    const row = `[data-testid=recent][data-number="${CRM_ONLY}"]`;
    await rig.popup.waitForSelector(`${row} [data-testid=recent-link][href="https://crm.example/contact/7"]`, { timeout: 10_000 });
    expect(await rig.popup.$eval(`${row} [data-testid=recent-company]`, (e) => e.textContent)).toBe('Verdi CRM SpA');
    await rig.popup.click(`${row} [data-testid=recent-add]`);
    expect(await rig.popup.$eval(`${row} [data-testid=recent-add-name]`, (e) => (e as HTMLInputElement).value)).toBe('Giulia Verdi');
    await rig.popup.click(`${row} [data-testid=recent-add-save]`);
    await rig.popup.waitForSelector(`${row} [data-testid=recent-added]`, { timeout: 10_000 });
    const looked = await runCli(rig.home, ['lookup', CRM_ONLY, '--json']);
    expect(JSON.parse(looked.out)).toEqual({ name: 'Giulia Verdi', company: 'Verdi CRM SpA', source: 'contacts' });
    await rig.popup.click('[data-testid=tab-calls]');
  });

  it('an unknown number shows the display name the PBX sent', async () => {
    const before = crm.requests.length;
    const call = await trunkCall('"Centralino Demo" <sip:0699999999@carrier.test>');
    const id = await ringingFrom('0699999999');
    await expect.poll(() => crm.requests.length, { timeout: 10_000 }).toBe(before + 1);
    const card = await rig.popup.$eval(`[data-testid=call][data-call-id="${id}"]`, (e) => e.textContent ?? '');
    expect(card).toContain('Centralino Demo');
    expect(await rig.popup.$(`[data-testid=call][data-call-id="${id}"] [data-testid=call-company]`)).toBeNull();
    expect((await notificationsOf(rig.worker, `incoming:${id}`)).at(-1)?.title).toBe('Incoming call from Centralino Demo');
    await decline(id, call);
  });

  it('dial by name: typing finds the directory entry, arrows and Enter call it', async () => {
    const input = (await rig.popup.$('[data-testid=dial-input]'))!;
    await input.click();
    await input.type('rossi giov');
    // The list answering the whole query: an earlier keystroke's ('rossi g': Giuseppe Rossi first)
    // may be on screen until the last answer arrives, and it holds Giovanni Rossi too.
    const list = '[data-testid=name-results][data-query="rossi giov"]';
    await rig.popup.waitForSelector(`${list} [data-testid=name-result]`, { timeout: 10_000 });
    const numbers = await rig.popup.$$eval(`${list} [data-testid=name-result]`, (es) => es.map((e) => e.getAttribute('data-number')));
    expect(numbers.slice(0, 2)).toEqual(['+39 02 5550 0007', '+39 347 5500 070']);
    await rig.popup.keyboard.press('ArrowDown');
    await rig.popup.keyboard.press('ArrowUp');
    await rig.popup.keyboard.press('Enter');
    const id = await callCard(rig.popup, 'active', 20_000);
    const card = await rig.popup.$eval(`[data-testid=call][data-call-id="${id}"]`, (e) => e.textContent ?? '');
    expect(card).toContain('0255500007');
    await rig.popup.waitForFunction((cid: string) => document.querySelector(`[data-testid=call][data-call-id="${cid}"]`)?.textContent?.includes('Giovanni Rossi'), { timeout: 10_000 }, id);
    await clickInCall(rig.popup, id, 'call-hangup');
    await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`, { timeout: 15_000 }).catch(() => undefined);
  });

  it('voispeed lookup answers by number and by name', async () => {
    const byNumber = await runCli(rig.home, ['lookup', '02 5550 0007', '--json']);
    expect(byNumber.code, byNumber.err).toBe(0);
    expect(JSON.parse(byNumber.out)).toEqual({ name: 'Giovanni Rossi', company: 'Gatti Assicurazioni Snc', source: 'ldap' });
    const byName = await runCli(rig.home, ['lookup', 'giovanni', 'rossi']);
    expect(byName.code, byName.err).toBe(0);
    expect(byName.out.split('\n')[0]).toBe('Giovanni Rossi (Gatti Assicurazioni Snc): +39 02 5550 0007 [telephoneNumber], +39 347 5500 070 [mobile]');
    const nobody = await runCli(rig.home, ['lookup', '0311111111']);
    expect(nobody).toMatchObject({ code: 1, err: 'voispeed: nobody known for 0311111111' });
  });

  it('hostile caller ids reach LDAP and the CRM only as documented, escaped values', async () => {
    const hostile = ['*)(uid=*', '*', '0255500001)(cn=*', '0255500001*', '%2A%29%28objectClass%3D%2A', '$(touch%20x)', '0255500002%00', "x'or'1'='1", '../../etc/passwd'];
    const searchesBefore = slapdSearches().length;
    const crmBefore = crm.requests.length;
    for (const user of hostile) {
      const ring = sippTrunkRing({ cwd: rig.root, trunkPort: rig.sandbox.ports.kamailioTrunk, domain: rig.sandbox.domain, from: `<sip:${user}@carrier.test>`, to: '1001', sipPort: await freePort('udp'), mediaPort: await freePort('udp') });
      const done = await ring;
      expect(done.code, `${user}: rang and was cancelled\n${done.output.slice(-800)}`).toBe(0);
    }
    // A last, ordinary call: once its lookups are logged, every earlier one is too (one at a time).
    const marker = crm.nextRequest('/lookup');
    const last = await trunkCall('<sip:0398765432@carrier.test>');
    const id = await ringingFrom('0398765432');
    await marker;
    await decline(id, last);

    const filters = slapdSearches().slice(searchesBefore);
    const documented = /^\(\|(\(\??(telephoneNumber|mobile)=([^()*\\]|\\[0-9A-Fa-f]{2})*\)){5}\)$/;
    expect(filters.filter((f) => !documented.test(f)), 'every filter is the template with escaped values').toEqual([]);
    // Only number-like ids were looked up: '*', '0255500001*' (a short code and a number with a star) and the marker.
    expect(filters).toHaveLength(3);
    // slapd writes `(?attr=…)` for a value its syntax cannot hold (a star is no phone digit): still one value.
    expect(filters[0]).toMatch(/^\(\|\(\??telephoneNumber=\\2A\)/);
    expect(filters[1]).toMatch(/^\(\|\(\??telephoneNumber=0255500001\\2A\)/);
    const asked = crm.requests.slice(crmBefore);
    expect(asked.map((r) => [r.method, r.path, r.query.n])).toEqual([
      ['GET', '/lookup', '*'],
      ['GET', '/lookup', '0255500001*'],
      ['GET', '/lookup', '0398765432'],
    ]);
  });

  it('the options page tests each source and shows why one failed; the secrets never reach it', async () => {
    const options = await rig.browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=dir-url]');
    await options.waitForFunction(() => (document.querySelector('[data-testid=dir-url]') as HTMLInputElement).value.startsWith('ldap://127.0.0.1:'), { timeout: 10_000 });
    expect(await options.$eval('[data-testid=dir-password]', (e) => [(e as HTMLInputElement).value, (e as HTMLInputElement).placeholder])).toEqual(['', 'Saved: leave empty to keep it']);
    expect(await options.content()).not.toContain(directory.password);
    expect(await options.content()).not.toContain('secret-key');

    await options.type('[data-testid=dir-test-number]', '02 5550 0003');
    await options.click('[data-testid=dir-test]');
    await options.waitForSelector('[data-testid=dir-test-ldap][data-outcome=found]', { timeout: 10_000 });
    expect(await options.$eval('[data-testid=dir-test-ldap]', (e) => e.textContent)).toMatch(/^LDAP: found Marco Rossi \(Rinaldi Consulting & Figli\) \(\d+ ms\)$/);
    expect(await options.$eval('[data-testid=dir-test-contacts]', (e) => e.getAttribute('data-outcome'))).toBe('not-found');

    // A CRM that answers HTML: saved from the form (the secrets stay as they were), tested, shown as failed.
    await options.$eval('[data-testid=dir-urlTemplate]', (e) => ((e as HTMLInputElement).value = ''));
    await options.type('[data-testid=dir-urlTemplate]', `${crm.origin}/notjson?n=!01`);
    await options.click('[data-testid=dir-save]');
    await options.waitForFunction(() => document.querySelector('[data-testid=dir-note]')?.textContent === 'Saved', { timeout: 10_000 });
    await options.click('[data-testid=dir-test]');
    await options.waitForSelector('[data-testid=dir-test-crm][data-outcome=failed]', { timeout: 10_000 });
    expect(await options.$eval('[data-testid=dir-test-crm]', (e) => e.textContent)).toBe('CRM: failed: not JSON (text/html)');
    const { settings } = await control.request('settings.get');
    expect(settings.directory).toMatchObject({ ldap: { passwordSaved: true }, crm: { headerValueSaved: true, urlTemplate: `${crm.origin}/notjson?n=!01` } });
    const test = await runCli(rig.home, ['lookup', '02 5550 0003', '--json']);
    expect(JSON.parse(test.out)).toMatchObject({ name: 'Marco Rossi', source: 'ldap' });
    await options.close();
  });
});
