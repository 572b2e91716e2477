import type { Browser, Page } from 'puppeteer';
import { extensionUrl } from './chromium';

/** Waits until the popup shows `ext`'s lamp as `state` (the lamps seen are in the error). */
export async function waitForLamp(popup: Page, ext: string, state: string, timeoutMs = 20_000): Promise<void> {
  await popup.waitForSelector(`[data-testid=colleague][data-ext="${ext}"][data-lamp="${state}"]`, { timeout: timeoutMs }).catch(async (err: Error) => {
    const rows = await popup.$$eval('[data-testid=colleague]', (es) => es.map((e) => `${e.getAttribute('data-ext')}=${e.getAttribute('data-lamp')}`));
    throw new Error(`${err.message}; lamps: ${rows.join(' ') || 'none'}`);
  });
}

/** Sets the colleagues list (and the pick-up code) the way a user does: in the options page. */
export async function setColleagues(browser: Browser, list: string, pickupCode = ''): Promise<void> {
  const options = await browser.newPage();
  try {
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=opt-colleagues]:not([disabled])');
    await options.waitForFunction(() => !(document.querySelector('[data-testid=opt-colleagues-save]') as HTMLButtonElement | null)?.disabled);
    await options.$eval('[data-testid=opt-colleagues]', (e) => ((e as HTMLTextAreaElement).value = ''));
    await options.type('[data-testid=opt-colleagues]', list);
    await options.$eval('[data-testid=opt-pickup-code]', (e) => ((e as HTMLInputElement).value = ''));
    if (pickupCode) await options.type('[data-testid=opt-pickup-code]', pickupCode);
    await options.click('[data-testid=opt-colleagues-save]');
    await options.waitForFunction(() => document.querySelector('[data-testid=colleagues-note]')?.textContent === 'Saved.', { timeout: 10_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${await options.$eval('[data-testid=colleagues-note]', (e) => e.textContent)}`);
    });
  } finally {
    await options.close();
  }
}
