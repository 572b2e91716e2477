// Shared by the call-latency benches: Kamailio's TIME lines, the popup's "Call" click timed
// against them, and sipp placing the same call through the same Kamailio.
import { readFile } from 'node:fs/promises';
import type { Page } from 'puppeteer';
import { freePort } from '../native-host/src/sandbox/ports';
import { callCard, clickInCall } from '../tests/support/call-rig';
import { sippCall } from '../tests/support/sipp';

export interface Timed {
  invites: Map<string, number>;
  answers: Map<string, number>;
  order: string[];
}

/** Every call's first INVITE and its 200 OK as Kamailio logged them (`TIME <s> INVITE|ANSWER call-id <id>`). */
export async function kamailioTimes(logFile: string): Promise<Timed> {
  const text = await readFile(logFile, 'utf8');
  const invites = new Map<string, number>();
  const answers = new Map<string, number>();
  const order: string[] = [];
  for (const m of text.matchAll(/TIME (\d+\.\d+) (INVITE \S+|ANSWER) call-id (\S+)/g)) {
    const t = Number(m[1]) * 1000;
    const id = m[3]!;
    if (m[2]!.startsWith('INVITE')) {
      // The first INVITE of a call is challenged (407); the clock starts there.
      if (!invites.has(id)) {
        invites.set(id, t);
        order.push(id);
      }
    } else if (!answers.has(id)) answers.set(id, t);
  }
  return { invites, answers, order };
}

/** When the host started each call (its pino log's `dial` lines), oldest first. */
export async function hostDialTimes(hostLog: string): Promise<number[]> {
  return (await readFile(hostLog, 'utf8'))
    .split('\n')
    .filter((l) => l.includes('"msg":"dial"'))
    .map((l) => (JSON.parse(l) as { time: number }).time);
}

export interface ClickTimes {
  /** The click as the page saw it (ms since the epoch). */
  clickedAt: number;
  invite: number;
  answer: number;
}

/** Dials `number` from the popup, waits for the call to be up, hangs up; times from Kamailio's log. */
export async function timedPopupCall(popup: Page, klog: string, number: string): Promise<ClickTimes> {
  const before = (await kamailioTimes(klog)).order.length;
  await popup.$eval('[data-testid=dial-input]', (e) => ((e as HTMLInputElement).value = ''));
  await popup.type('[data-testid=dial-input]', number);
  await popup.$eval('[data-testid=dial-call]', (b) =>
    b.addEventListener('click', () => ((window as unknown as { __clickAt: number }).__clickAt = Date.now()), { capture: true, once: true }),
  );
  // A human press: the button is held ~80 ms between pointerdown and click (the popup opens the
  // microphone on the press); the figure is timed from the click.
  await popup.click('[data-testid=dial-call]', { delay: 80 });
  // The click as the page saw it, not as puppeteer issued it.
  const clickedAt = await popup.evaluate(() => (window as unknown as { __clickAt: number }).__clickAt);
  const id = await callCard(popup, 'active');
  const t = await kamailioTimes(klog);
  const sipCallId = t.order[before];
  if (!sipCallId) throw new Error('no INVITE logged');
  await clickInCall(popup, id, 'call-hangup');
  await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
  return { clickedAt, invite: t.invites.get(sipCallId)!, answer: t.answers.get(sipCallId) ?? NaN };
}

/** sipp (user 1004 over UDP) calls 2001 `n` times through the same Kamailio: first INVITE → 200 OK each. */
export async function sippSetupTimes(o: { cwd: string; klog: string; kamailioUdp: number; domain: string; password: string; n: number }): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < o.n; i++) {
    const before = (await kamailioTimes(o.klog)).order.length;
    await sippCall({ cwd: o.cwd, kamailioUdp: o.kamailioUdp, domain: o.domain, user: '1004', password: o.password, number: '2001', sipPort: await freePort('udp'), mediaPort: await freePort('udp') });
    const t = await kamailioTimes(o.klog);
    const id = t.order[before]!;
    out.push(t.answers.get(id)! - t.invites.get(id)!);
  }
  return out;
}

/** Clicks `selector` and returns when the page saw the click (ms since the epoch), not when puppeteer issued it. */
export async function pageClick(popup: Page, selector: string): Promise<number> {
  await popup.$eval(selector, (b) =>
    b.addEventListener('click', () => ((window as unknown as { __clickAt: number }).__clickAt = Date.now()), { capture: true, once: true }),
  );
  await popup.click(selector);
  return popup.evaluate(() => (window as unknown as { __clickAt: number }).__clickAt);
}

/**
 * From now on, records when the popup's DOM first shows a ringing call (a MutationObserver, so
 * puppeteer's polling is not counted); `ringingShownAt` reads it.
 */
export async function watchRinging(popup: Page): Promise<void> {
  await popup.evaluate(() => {
    const w = window as unknown as { __ringAt: number };
    w.__ringAt = 0;
    const seen = () => document.querySelector('[data-testid=call][data-state="ringing-in"]');
    const observer = new MutationObserver(() => {
      if (w.__ringAt || !seen()) return;
      w.__ringAt = Date.now();
      observer.disconnect();
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  });
}

export async function ringingShownAt(popup: Page): Promise<number> {
  return popup.evaluate(() => (window as unknown as { __ringAt: number }).__ringAt);
}
