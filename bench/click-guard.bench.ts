// What judging a click costs the page (issue 13, extension/content/click-guard.ts): the built test
// extension in Chromium, generated pages of about 3,600 and 36,000 elements with one number, its
// judgement repeated 30 times. "plain" is what a release does (styles read, one hit test);
// "thorough" is what a press, the pointer entering a number and a keyboard-mode key do (also
// through layers that let clicks through: a style sheet adopted and removed within the look).
import { join } from 'node:path';
import { launchChromium } from '../tests/support/chromium';
import { repoRoot } from '../tests/support/host-process';
import { tempDir } from '../tests/support/temp';
import { ContentWorld } from '../tests/fixtures/numbers-harness';
import { serveFixtures } from '../tests/fixtures/serve-fixtures';
import { summary } from './stats';

const ROW = '<div class="row"><span>Item</span> <b>lorem</b> <i>ipsum</i> <em>dolor</em> <small>sit</small> <u>amet</u> <s>x</s> <code>y</code></div>';

function pageOf(rows: number): string {
  const half = ROW.repeat(rows);
  return `<!doctype html><html><body style="font:16px sans-serif">${half}<p id="target">Assistenza 02 6161 6180</p>${half}</body></html>`;
}

async function main(): Promise<void> {
  const server = await serveFixtures({}, { '/small.html': { type: 'text/html', body: pageOf(200) }, '/large.html': { type: 'text/html', body: pageOf(2000) } });
  const profile = tempDir('bench-guard');
  const browser = await launchChromium({ userDataDir: profile.path, extensionDir: join(repoRoot, 'dist/chrome-test') });
  try {
    await browser.waitForTarget((t) => t.url().includes('/setup/'), { timeout: 10_000 }).catch(() => undefined);
    for (const p of await browser.pages()) if (p.url().includes('/setup/')) await p.close();
    const page = await browser.newPage();
    for (const path of ['/small.html', '/large.html']) {
      await page.goto(server.url(path), { waitUntil: 'load' });
      await page.bringToFront();
      const world = await ContentWorld.attach(page);
      await world.idle();
      const elements = await page.evaluate(() => document.querySelectorAll('*').length);
      const p = await page.$eval('#target', (el) => {
        el.scrollIntoView({ block: 'center' });
        const r = document.createRange();
        r.selectNodeContents(el);
        const b = r.getClientRects()[0]!;
        return { x: b.right - 20, y: b.top + b.height / 2 };
      });
      for (const thorough of [false, true]) {
        const samples: number[] = [];
        for (let i = 0; i < 30; i++) {
          const r = await world.eval<{ unseen: string | null; ms: number }>(`__voispeedContent.judge(${p.x}, ${p.y}, ${thorough})`);
          if (r.unseen) throw new Error(`the number was judged unseen (${r.unseen})`);
          samples.push(r.ms);
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
        }
        const s = summary(samples);
        console.log(`${elements} elements, ${thorough ? 'thorough (press, hover)' : 'plain (release)'}: median ${s.median.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`);
      }
      await world.detach();
    }
  } finally {
    await browser.close();
    await server.close();
    profile.remove();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
