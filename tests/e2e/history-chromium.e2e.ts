import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import { waitForBadge } from '../support/badge';
import { baresipCommand } from '../support/baresip-ctrl';
import { callCard, clickInCall, startCallRig, type CallRig } from '../support/call-rig';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function recentRows(popup: Page): Promise<{ direction: string; result: string; number: string; text: string }[]> {
  return popup.$$eval('[data-testid=recent]', (rows) =>
    rows.map((r) => ({
      direction: r.getAttribute('data-direction') ?? '',
      result: r.getAttribute('data-result') ?? '',
      number: r.getAttribute('data-number') ?? '',
      text: r.querySelector('[data-testid=recent-result]')?.textContent ?? '',
    })),
  );
}

/** Recent: calls answered, missed and busy, through the real extension, host and sandbox. */
describe('call history in the popup (Chromium)', { timeout: 120_000 }, () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = await startCallRig('hist');
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('answered, missed and busy calls appear in Recent with the right results; missed ones count on the badge until seen', async () => {
    const { popup, worker } = rig;
    // 1. answered: we call the bot, it answers, we hang up.
    await popup.type('[data-testid=dial-input]', '2001');
    await popup.click('[data-testid=dial-call]');
    const answered = await callCard(popup, 'active');
    await sleep(1200);
    await clickInCall(popup, answered, 'call-hangup');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${answered}"][data-state=ended]`);

    // 2. missed: the bot calls 1001 and gives up before anyone answers.
    const ctrl = rig.sandbox.users['2001'].ctrl!;
    await baresipCommand(ctrl, 'dial', `sip:1001@${rig.sandbox.domain}`);
    const missed = await callCard(popup, 'ringing-in');
    await sleep(500);
    await baresipCommand(ctrl, 'hangup');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${missed}"][data-state=ended]`);
    await waitForBadge(worker, '1');

    // 3. busy: 486 answers busy.
    await popup.type('[data-testid=dial-input]', '486');
    await popup.click('[data-testid=dial-call]');

    expect(await popup.$eval('[data-testid=missed-count]', (e) => e.textContent)).toBe('1');
    // The busy call's card comes and goes while we click: a click can land where the tab was.
    for (let attempt = 0; attempt < 5; attempt++) {
      await popup.click('[data-testid=tab-recent]');
      if (await popup.waitForSelector('[data-testid=tab-recent][aria-selected=true]', { timeout: 1000 }).catch(() => null)) break;
    }
    await popup.waitForFunction(() => document.querySelectorAll('[data-testid=recent]').length >= 3, { timeout: 20_000 }).catch(async (err: Error) => {
      const rows = await recentRows(popup);
      const cards = await popup.$$eval('[data-testid=call]', (es) => es.map((e) => `${e.getAttribute('data-state')}: ${e.textContent}`));
      const bg = await worker.evaluate(() => {
        const s = (globalThis as unknown as { __voispeed: { state(): { history?: unknown[]; connection: unknown } } }).__voispeed.state();
        return { history: s.history?.length, connection: s.connection };
      });
      const html = await popup.$eval('main', (m) => m.innerHTML.slice(0, 1500));
      throw new Error(`${err.message}; Recent shows ${JSON.stringify(rows)}; call cards ${JSON.stringify(cards)}; background ${JSON.stringify(bg)}; popup ${html}`);
    });
    const rows = await recentRows(popup);
    console.log('Recent:', rows.map((r) => `${r.direction} ${r.number} ${r.result} "${r.text}"`).join(' | '));
    expect(rows.slice(0, 3)).toEqual([
      { direction: 'out', result: 'busy', number: '486', text: 'Busy' },
      { direction: 'in', result: 'missed', number: '2001', text: 'Missed' },
      { direction: 'out', result: 'answered', number: '2001', text: 'Answered' },
    ]);
    const answeredRow = await popup.$eval('[data-testid=recent]:nth-child(3)', (e) => e.textContent ?? '');
    expect(answeredRow).toMatch(/· 00:0[1-9]/);
    // Looking at Recent marks the missed call seen: the badge clears.
    await waitForBadge(worker, '');
    await popup.waitForSelector('[data-testid=missed-count]', { hidden: true });

    // The records were on disk before the popup showed them: the host's journal has all three.
    const journal = await worker.evaluate(() =>
      (globalThis as unknown as { __voispeed: { native: { request(m: string, p: unknown): Promise<{ records: { result: string }[] }> } } }).__voispeed.native.request('history.list', { limit: 10 }),
    );
    expect(journal.records.slice(0, 3).map((r) => r.result)).toEqual(['busy', 'missed', 'answered']);

    // A click on a record calls it back.
    await popup.click('[data-testid=recent]:nth-child(3) [data-testid=recent-call]');
    const back = await callCard(popup, 'active');
    await clickInCall(popup, back, 'call-hangup');
    await popup.waitForFunction(() => document.querySelectorAll('[data-testid=recent]').length >= 4, { timeout: 10_000 });
    expect((await recentRows(popup))[0]).toMatchObject({ direction: 'out', number: '2001', result: 'answered' });
  });
});
