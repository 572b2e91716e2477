import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import itMessages from '../../extension/_locales/it/messages.json';
import enMessages from '../../extension/_locales/en/messages.json';
import { extensionUrl, waitForStatus } from '../support/chromium';
import { startCallRig, type CallRig } from '../support/call-rig';

/** The UI switched to Italian in the options: popup and options speak Italian at once, no reload. */
describe('language switching (Chromium)', { timeout: 120_000 }, () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = await startCallRig('i18n');
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('Italian in the options → Italian strings in the popup and the options; back to the browser language → English', async () => {
    const { popup, browser } = rig;
    const options = await browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=opt-language]:not([disabled])');
    expect(await options.$eval('h1', (e) => e.textContent)).toBe(enMessages.optionsTitle.message);
    expect(await popup.$eval('[data-testid=tab-recent]', (e) => e.textContent)).toBe(enMessages.tabRecent.message);

    await options.select('[data-testid=opt-language]', 'it');
    // The popup was open all along: it switches without a reload.
    await waitForStatus(popup, /^Registrato come 1001 \(sandbox\)$/, 10_000);
    expect(await popup.$eval('[data-testid=tab-recent]', (e) => e.textContent)).toBe(itMessages.tabRecent.message);
    expect(await popup.$eval('[data-testid=dial-call]', (e) => e.textContent)).toBe(itMessages.dialCall.message);
    await options.waitForFunction((title: string) => document.querySelector('h1')?.textContent === title, { timeout: 5000 }, itMessages.optionsTitle.message);
    expect(await options.$eval('#account h2', (e) => e.textContent)).toBe(itMessages.optionsAccount.message);
    expect(await options.title()).toBe(itMessages.optionsTitle.message);
    expect(await options.$eval('html', (e) => e.lang)).toBe('it');
    const saved = JSON.parse(await readFile(join(rig.home, 'settings.json'), 'utf8')) as { preferences?: { language?: string } };
    expect(saved.preferences?.language).toBe('it');

    // Content scripts (which cannot switch chrome.i18n) get their strings in Italian from storage.
    const pageStrings = (await rig.worker.evaluate(() =>
      (globalThis as unknown as { chrome: typeof chrome }).chrome.storage.local.get('uiPageStrings'),
    )) as { uiPageStrings?: Record<string, { message: string }> };
    expect(pageStrings.uiPageStrings?.pageCallTitle?.message).toBe(itMessages.pageCallTitle.message);

    // A page opened now starts in Italian.
    const fresh = await browser.newPage();
    await fresh.goto(extensionUrl('extension/popup/index.html'));
    await waitForStatus(fresh, /^Registrato come 1001 \(sandbox\)$/, 10_000);
    await fresh.close();

    await options.select('[data-testid=opt-language]', 'auto');
    await waitForStatus(popup, /^Registered as 1001 \(sandbox\)$/, 10_000);
    await options.waitForFunction((title: string) => document.querySelector('h1')?.textContent === title, { timeout: 5000 }, enMessages.optionsTitle.message);
  });
});
