import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write';

describe('writeFileAtomic', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'atomic-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('replaces a file whole, 0600 whatever the umask, and leaves no temp file', async () => {
    const d = dir();
    const file = join(d, 'settings.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    const umask = process.umask(0o022);
    try {
      await writeJsonAtomic(file, { a: 1 });
    } finally {
      process.umask(umask);
    }
    expect(readFileSync(file, 'utf8')).toBe('{\n  "a": 1\n}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['settings.json']);
  });

  it('keeps an executable mode when asked (the launcher)', async () => {
    const file = join(dir(), 'launcher.sh');
    await writeFileAtomic(file, '#!/bin/sh\n', 0o755);
    expect(statSync(file).mode & 0o777).toBe(0o755);
  });

  it('a failed write leaves the old file and no temp file', async () => {
    const d = dir();
    const file = join(d, 'missing-dir', 'x.json');
    await expect(writeJsonAtomic(file, {})).rejects.toThrow();
    expect(readdirSync(d)).toEqual([]);
  });

  it('concurrent writers of one file never share a temp file: the result is one whole value', async () => {
    const file = join(dir(), 'status.json');
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeJsonAtomic(file, { i, pad: 'x'.repeat(10_000) })));
    expect(JSON.parse(readFileSync(file, 'utf8')).pad).toHaveLength(10_000);
  });
});
