import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/support/temp';
import { crc32, decodeJournal, encodeLine, Journal } from './journal';

type E = { n: number; text?: string };
const isE = (v: unknown): v is E => typeof (v as E)?.n === 'number';

describe('journal', () => {
  const dirs: { remove(): void }[] = [];
  const file = () => {
    const d = tempDir('journal');
    dirs.push(d);
    return join(d.path, 'j.jsonl');
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('CRC-32 matches the IEEE check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('appends and reads back in order, across reopen, file 0600', () => {
    const f = file();
    const j = new Journal<E>(f, isE);
    expect(j.open().entries).toEqual([]);
    for (let n = 0; n < 50; n++) j.append({ n, text: `línea "${n}",\n` });
    j.close();
    const again = new Journal<E>(f, isE).open();
    expect(again.entries.map((e) => e.n)).toEqual([...Array(50).keys()]);
    expect(again.entries[3]!.text).toBe('línea "3",\n');
    expect(again.skipped).toBe(0);
    if (process.platform !== 'win32') expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('a torn last write is skipped and cut off at every possible cut point; the next append is clean', () => {
    const f = file();
    const whole = Buffer.concat([encodeLine({ n: 1 }), encodeLine({ n: 2 }), encodeLine({ n: 3, text: 'x'.repeat(40) })]);
    const lastStart = whole.length - encodeLine({ n: 3, text: 'x'.repeat(40) }).length;
    for (let cut = lastStart + 1; cut < whole.length; cut++) {
      writeFileSync(f, whole.subarray(0, cut));
      const j = new Journal<E>(f, isE);
      const loaded = j.open();
      expect(loaded.entries.map((e) => e.n), `cut at ${cut}`).toEqual([1, 2]);
      expect(loaded.truncatedBytes).toBe(cut - lastStart);
      j.append({ n: 4 });
      j.close();
      expect(new Journal<E>(f, isE).open().entries.map((e) => e.n)).toEqual([1, 2, 4]);
    }
  });

  it('a complete line whose checksum does not match is skipped, the rest kept', () => {
    const f = file();
    const bad = encodeLine({ n: 2 });
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0x01; // flip a bit inside the JSON
    writeFileSync(f, Buffer.concat([encodeLine({ n: 1 }), bad, encodeLine({ n: 3 })]));
    const loaded = new Journal<E>(f, isE).open();
    expect(loaded.entries.map((e) => e.n)).toEqual([1, 3]);
    expect(loaded.skipped).toBe(1);
  });

  it('garbage and half lines never throw', () => {
    const junk = Buffer.from('zzzzzzzz {"n":1}\nnot a line\n\n12345678 \n');
    expect(decodeJournal<E>(junk, isE).entries).toEqual([]);
  });

  it('rewrite replaces the journal atomically and appends continue after it', () => {
    const f = file();
    const j = new Journal<E>(f, isE);
    j.open();
    for (let n = 0; n < 10; n++) j.append({ n });
    j.rewrite([{ n: 8 }, { n: 9 }]);
    j.append({ n: 10 });
    j.close();
    expect(new Journal<E>(f, isE).open().entries.map((e) => e.n)).toEqual([8, 9, 10]);
    expect(readFileSync(f, 'utf8').split('\n').length).toBe(4);
  });

  it('appends directly after an externally truncated tail without merging lines', () => {
    const f = file();
    appendFileSync(f, Buffer.concat([encodeLine({ n: 1 }), encodeLine({ n: 2 })]));
    truncateSync(f, statSync(f).size - 1); // drop the last newline: line 2 is now torn
    const j = new Journal<E>(f, isE);
    expect(j.open().entries.map((e) => e.n)).toEqual([1]);
    j.append({ n: 3 });
    j.close();
    expect(new Journal<E>(f, isE).open().entries.map((e) => e.n)).toEqual([1, 3]);
  });
});
