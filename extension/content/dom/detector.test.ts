// @vitest-environment happy-dom
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { startDetector } from './detector';

// The content script asks the background for the phone-number metadata (page.metadata); here the
// extension API answers with the same file the background links in.
vi.mock('../extension-api', async () => {
  const metadata = (await import('libphonenumber-js/metadata.max.json')).default;
  return {
    api: {
      runtime: {
        sendMessage: async (m: { type?: string }) => (m?.type === 'page.metadata' ? metadata : undefined),
        onMessage: { addListener: () => undefined },
      },
    },
  };
});

beforeAll(() => {
  // happy-dom has no StaticRange; a plain record is all the registry reads from it.
  const g = globalThis as { StaticRange?: unknown };
  g.StaticRange ??= class {
    startContainer: Node;
    startOffset: number;
    endContainer: Node;
    endOffset: number;
    constructor(init: { startContainer: Node; startOffset: number; endContainer: Node; endOffset: number }) {
      this.startContainer = init.startContainer;
      this.startOffset = init.startOffset;
      this.endContainer = init.endContainer;
      this.endOffset = init.endOffset;
    }
  };
});

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

describe('detector DOM pipeline (happy-dom)', () => {
  it('finds numbers in text, tables and inline runs; skips inputs, links, code and opted-out parts', async () => {
    document.body.innerHTML = `
      <p>Tel. <b>02</b> 6161 6161</p>
      <table><tr><td>Torino</td><td>011 5551234</td></tr></table>
      <input value="02 6161 6162"><textarea>333 1234567</textarea>
      <div contenteditable="true">06 1234 5678</div>
      <a href="/x">0471 123456</a><code>055 2345678</code>
      <div class="voispeed-no-detect"><span>080 5212345</span></div>
      <p>P.IVA 01234567897</p>`;
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    expect(d.registry.list().map((n) => n.e164).sort()).toEqual(['+390115551234', '+390261616161']);
    d.stop();
  });

  it('a text node far longer than one segment: every number in it, not only those of its first piece', async () => {
    // Read before the metadata arrives, the node's pieces are parsed by one deferred batch; the
    // first piece's numbers must not make the later pieces look already scanned (they did: 64 of
    // 10,000 numbers of a <pre> were found).
    const n = 400;
    const lines = Array.from({ length: n }, (_, i) => `Contatto ${i}: tel. 02 ${6100_0000 + i}\n`).join('');
    document.body.innerHTML = `<pre>${lines}</pre>`;
    expect(lines.length).toBeGreaterThan(5 * 2000);
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    expect(d.registry.size).toBe(n);
    expect(new Set(d.registry.list().map((x) => x.e164)).size).toBe(n);
    d.stop();
  });

  it('follows content added and changed later, and forgets removed content', async () => {
    document.body.innerHTML = '<div id="a"></div>';
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    const p = document.createElement('p');
    p.textContent = 'cell 333 123 4567';
    document.getElementById('a')!.append(p);
    await frame();
    await d.whenIdle();
    expect(d.registry.list().map((n) => n.e164)).toEqual(['+393331234567']);
    p.firstChild!.nodeValue = 'cell 347 765 4321';
    await frame();
    await d.whenIdle();
    expect(d.registry.list().map((n) => n.e164)).toEqual(['+393477654321']);
    p.remove();
    await frame();
    await d.whenIdle();
    expect(d.registry.size).toBe(0);
    d.stop();
  });

  it('a huge batch of mutations falls back to one full rescan', async () => {
    document.body.innerHTML = '<div id="list"></div>';
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    const list = document.getElementById('list')!;
    for (let i = 0; i < 1500; i++) {
      const row = document.createElement('div');
      row.textContent = `Contatto ${i}: 02 6161 ${String(1000 + i).padStart(4, '0')}`;
      list.append(row);
    }
    await frame();
    await d.whenIdle();
    expect(d.registry.size).toBe(1500);
    d.stop();
  });

  it('scans open shadow roots', async () => {
    document.body.innerHTML = '<div id="host"></div>';
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<p>Roma 06 1234 5678</p>';
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    expect(d.registry.list().map((n) => n.e164)).toEqual(['+390612345678']);
    d.stop();
  });
});

describe('keyboard order', () => {
  it('numbers in document order, text in a shadow tree where its host sits', async () => {
    document.body.innerHTML = '<p>a 02 6161 6161</p><div id="h"></div><p>c 011 5551234</p><p>d 333 123 4567</p>';
    document.getElementById('h')!.attachShadow({ mode: 'open' }).innerHTML = '<p>b 06 1234 5678</p>';
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    expect(d.registry.ordered().map((e) => e.e164)).toEqual(['+390261616161', '+390612345678', '+390115551234', '+393331234567']);
    d.stop();
  });
});

describe('segments across inline elements', () => {
  it('whitespace-only text between inline elements still separates words (preact output)', async () => {
    document.body.innerHTML =
      '<ul><li>Acme Milano: <span>02 6161 6161</span> <small>online</small></li><li>Roma<b> 06 1234 5678</b>\n<i>ok</i></li></ul>';
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    expect(d.registry.list().map((n) => n.e164).sort()).toEqual(['+390261616161', '+390612345678']);
    d.stop();
  });
});

describe('what no number may span', () => {
  it('a <br>, a link or a skipped element between two runs of digits', async () => {
    document.body.innerHTML =
      '<p id="br">333 123<br>4567</p><p id="a">333 <a href="/x">123</a> 4567</p><p id="code">333 <code>123</code>4567</p><p id="ok">333 <b>123</b> 4567</p>';
    const d = startDetector(document, 'IT');
    await d.whenIdle();
    expect(d.registry.list().map((n) => n.text)).toEqual(['333 123 4567']);
    d.stop();
  });
});
