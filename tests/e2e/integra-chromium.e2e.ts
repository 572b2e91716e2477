import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baresipCommand } from '../support/baresip-ctrl';
import { callCard, clickInCall, startCallRig, type CallRig } from '../support/call-rig';
import { extensionUrl } from '../support/chromium';
import { repoRoot } from '../support/host-process';

const recorder = join(repoRoot, 'tests/fixtures/integra-record-args.cjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(f: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

/** Replaces an input's text the way a user does (select all, type), so preact sees the input events. */
async function retype(field: ElementHandle, text: string) {
  await field.click({ count: 3 });
  await field.press('Backspace');
  await field.type(text);
}

/**
 * Integra end to end in Chromium with the built test extension, the real host and the sandbox:
 * rules made in the options page, the answering bot calls 1001, the CRM page (a fixture server on
 * 127.0.0.1) opens as a real tab and receives its query once; answering focuses that tab instead
 * of opening another; the ACCEPT and CLOSE command rules run with the right values.
 */
describe('Integra in Chromium', { timeout: 120_000 }, () => {
  let rig: CallRig;
  let crm: Server;
  let crmUrl = '';
  const hits: string[] = [];
  let options: Page;
  let out = '';

  beforeAll(async () => {
    crm = createServer((req, res) => {
      if (req.url?.startsWith('/find')) hits.push(req.url);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>CRM</title><h1>CRM</h1>');
    });
    await new Promise<void>((r) => crm.listen(0, '127.0.0.1', r));
    crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
    rig = await startCallRig('integra-cr');
    out = join(rig.root, 'argv');
    mkdirSync(out);
    options = await rig.browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=integra-enabled]:not([disabled])', { timeout: 15_000 });
  });
  afterAll(async () => {
    await rig?.close();
    await new Promise((r) => crm?.close(r));
  });

  const records = () => (existsSync(out) ? readdirSync(out).map((f) => (JSON.parse(readFileSync(join(out, f), 'utf8')) as { args: string[] }).args) : []);
  const note = () => options.$eval('[data-testid=integra-note]', (e) => e.textContent ?? '');
  const rule = async (i: number) => (await options.$$('[data-testid=integra-rule]'))[i]!;

  it('the options page refuses a placeholder in the host part, saves rules, and Test shows the URL', async () => {
    await options.click('[data-testid=integra-enabled]');
    await options.click('[data-testid=integra-add-rule]');
    const urlRule = await rule(0);
    await retype((await urlRule.$('[data-testid=integra-rule-template]'))!, 'http://!01.crm.example/find?n=!01');
    await options.click('[data-testid=integra-save]');
    await options.waitForFunction(() => /host part/.test(document.querySelector('[data-testid=integra-note]')?.textContent ?? ''), { timeout: 5000 });
    expect(await note()).toMatch(/^Rule 1: a placeholder in the host part of a URL is refused/);

    await retype((await urlRule.$('[data-testid=integra-rule-template]'))!, `${crmUrl}/find?n=!01&id=!05&e=!02`);
    await (await urlRule.$('[data-testid=integra-rule-event-CALL_ACCEPT]'))!.click();
    await (await urlRule.$('[data-testid=integra-rule-test]'))!.click();
    const shown = await options.waitForSelector('[data-testid=integra-test-url] code', { timeout: 5000 });
    expect(await shown!.evaluate((e) => e.textContent)).toMatch(new RegExp(`^${crmUrl}/find\\?n=0261616161&id=test-[a-z0-9]+&e=CALL_IN$`));

    await options.click('[data-testid=integra-add-rule]');
    const cmdRule = await rule(1);
    await (await cmdRule.$('[data-testid=integra-rule-action]'))!.select('command');
    await retype((await cmdRule.$('[data-testid=integra-rule-template]'))!, `'${process.execPath}' '${recorder}' '${out}' !02 !01 !05 !03`);
    await (await cmdRule.$('[data-testid=integra-rule-event-CALL_IN]'))!.click();
    await (await cmdRule.$('[data-testid=integra-rule-event-CALL_ACCEPT]'))!.click();
    await (await cmdRule.$('[data-testid=integra-rule-event-CALL_CLOSE]'))!.click();
    await options.click('[data-testid=integra-save]');
    await options.waitForFunction(() => document.querySelector('[data-testid=integra-note]')?.textContent === 'Saved.', { timeout: 5000 });
    const saved = JSON.parse(readFileSync(join(rig.home, 'settings.json'), 'utf8')) as { integra: { enabled: boolean; rules: { action: string; events: string[] }[] } };
    expect(saved.integra.enabled).toBe(true);
    expect(saved.integra.rules.map((r) => [r.action, r.events])).toEqual([
      ['url', ['CALL_IN', 'CALL_ACCEPT']],
      ['command', ['CALL_ACCEPT', 'CALL_CLOSE']],
    ]);
  });

  it('the bot calls 1001: the CRM page opens as a tab and gets its query once; answer focuses it; ACCEPT and CLOSE commands run', async () => {
    await rig.popup.bringToFront();
    await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'dial', `sip:1001@${rig.sandbox.domain}`);
    const id = await callCard(rig.popup, 'ringing-in');
    const expected = `/find?n=2001&id=${encodeURIComponent(id)}&e=CALL_IN`;
    await until(() => hits.length > 0, 5000, 'the CRM server was asked');
    const tab = await rig.browser.waitForTarget((t) => t.type() === 'page' && t.url() === crmUrl + expected, { timeout: 5000 });
    expect(tab).toBeDefined();
    expect(hits).toEqual([expected]);

    await rig.popup.bringToFront();
    await clickInCall(rig.popup, id, 'call-answer');
    await callCard(rig.popup, 'active');
    const accept = await until(() => records().find((a) => a[0] === 'CALL_ACCEPT'), 10_000, 'CALL_ACCEPT command');
    expect(accept).toEqual(['CALL_ACCEPT', '2001', id, '1001']);
    // The URL rule also listens to CALL_ACCEPT: the same tab comes to the front, nothing new opens.
    await until(() => rig.browser.targets().some((t) => t.type() === 'page' && t.url().startsWith(crmUrl)) && true, 2000, 'crm tab');
    await sleep(500);
    expect(hits).toEqual([expected]);
    expect(rig.browser.targets().filter((t) => t.type() === 'page' && t.url().startsWith(crmUrl))).toHaveLength(1);

    await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'hangup');
    const close = await until(() => records().find((a) => a[0] === 'CALL_CLOSE'), 10_000, 'CALL_CLOSE command');
    expect(close).toEqual(['CALL_CLOSE', '2001', id, '1001']);
    expect(records()).toHaveLength(2);

    await options.bringToFront();
    await options.waitForFunction(() => document.querySelectorAll('[data-testid=integra-log-row]').length >= 4, { timeout: 5000 });
    const rows = await options.$$eval('[data-testid=integra-log-row]', (rs) => rs.map((r) => `${r.getAttribute('data-event')}:${r.getAttribute('data-result')}`));
    expect(rows.slice(0, 4).sort()).toEqual(['CALL_ACCEPT:focused', 'CALL_ACCEPT:ok', 'CALL_CLOSE:ok', 'CALL_IN:opened']);
  });
});
