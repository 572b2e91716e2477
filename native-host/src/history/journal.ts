import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync, ftruncateSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only journal of JSON entries, one per line, each framed as
 * `<crc32 hex 8>␠<json>\n`. A line counts only when it ends in a newline and its checksum
 * matches, so a write torn by a crash or `kill -9` is detected and skipped; on open a torn tail
 * is cut off before anything else is appended, so it can never glue itself to the next entry.
 *
 * Every append is written and fsync'd before it returns: a caller that announces an entry only
 * after `append` returned never announces one that a crash can take back.
 *
 * Synchronous on purpose: one small write + fdatasync (~0.1–2 ms on a local disk) keeps the
 * order of entries equal to the order of calls without a queue, and there is nothing to lose
 * between "returned" and "on disk".
 */
export interface JournalLoad<T> {
  entries: T[];
  /** Lines dropped: a torn tail or a line whose checksum does not match. */
  skipped: number;
  /** Bytes cut from the end of the file (a torn last write). */
  truncatedBytes: number;
}

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as zlib computes it; Node's zlib.crc32 needs 20.15 and we support 20.12. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodeLine(entry: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(entry), 'utf8');
  const head = Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} `, 'ascii');
  return Buffer.concat([head, json, Buffer.from('\n')]);
}

/** Parses a journal's bytes; `goodBytes` is where the last valid line ends. */
export function decodeJournal<T>(bytes: Buffer, valid: (v: unknown) => v is T = (v): v is T => true): JournalLoad<T> & { goodBytes: number } {
  const entries: T[] = [];
  let skipped = 0;
  let pos = 0;
  let goodBytes = 0;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) {
      // No newline: the last write was torn.
      skipped++;
      break;
    }
    const line = bytes.subarray(pos, nl);
    pos = nl + 1;
    const entry = decodeLine(line);
    if (entry !== undefined && valid(entry)) {
      entries.push(entry);
      goodBytes = pos;
    } else {
      skipped++;
    }
  }
  return { entries, skipped, truncatedBytes: bytes.length - goodBytes, goodBytes };
}

function decodeLine(line: Buffer): unknown {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const sum = Number.parseInt(line.subarray(0, 8).toString('ascii'), 16);
  const json = line.subarray(9);
  if (!Number.isFinite(sum) || crc32(json) !== sum) return undefined;
  try {
    return JSON.parse(json.toString('utf8'));
  } catch {
    return undefined;
  }
}

export class Journal<T> {
  private fd: number | undefined;
  private size = 0;

  constructor(
    private readonly file: string,
    private readonly valid: (v: unknown) => v is T = (v): v is T => true,
  ) {}

  get path(): string {
    return this.file;
  }

  /** Reads every good entry and cuts a torn tail off the file. */
  open(): JournalLoad<T> {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      bytes = Buffer.alloc(0);
    }
    const loaded = decodeJournal(bytes, this.valid);
    this.fd = openSync(this.file, 'a+', 0o600);
    // A bad complete line (a disk error) is skipped but kept, so nothing a person might still
    // want is thrown away.
    // Whatever follows the last newline is a torn write: cut it, so the next line starts clean.
    const keep = bytes.lastIndexOf(0x0a) + 1;
    const cut = bytes.length - keep;
    if (cut > 0) {
      ftruncateSync(this.fd, keep);
      fsyncSync(this.fd);
    }
    this.size = bytes.length - cut;
    return { entries: loaded.entries, skipped: loaded.skipped, truncatedBytes: cut };
  }

  /** Writes one entry and fsyncs it; when this returns the entry survives a crash. */
  append(entry: T): void {
    if (this.fd === undefined) throw new Error('journal is not open');
    const line = encodeLine(entry);
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off, line.length - off);
    fsyncSync(this.fd);
    this.size += line.length;
  }

  get bytes(): number {
    return this.size;
  }

  /**
   * Replaces the whole journal with `entries` atomically (temp file, fsync, rename, fsync of
   * the folder): a crash leaves either the old journal or the new one, never a mix.
   */
  rewrite(entries: T[]): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      const body = Buffer.concat(entries.map(encodeLine));
      let off = 0;
      while (off < body.length) off += writeSync(fd, body, off, body.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    syncDir(dirname(this.file));
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.file, 'a+', 0o600);
    this.size = statSync(this.file).size;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a folder; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
