/**
 * Splits a command template into an argv before any value is substituted (NOTES-ENV: substitute
 * then `sh -c` is injectable; quoting values is not safe either). No shell runs afterwards, so
 * `$VAR`, globs, pipes and redirections are plain text.
 *
 * - `posix`: like sh word splitting: blanks separate; '…' is literal; "…" keeps blanks and takes
 *   \" \\ \$ \` as escapes; an unquoted backslash makes the next character literal.
 * - `windows`: the Microsoft C runtime rules (CommandLineToArgvW): backslashes are literal unless
 *   they precede a double quote (2n → n and a quote toggle, 2n+1 → n and a literal quote), `""`
 *   inside quotes is a literal quote; the program name (first word) takes no escapes at all, so
 *   `"C:\Program Files\crm\x.exe"` and `C:\scripts\x.bat` keep every backslash.
 */
export type Quoting = 'posix' | 'windows';

export class ArgvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgvError';
  }
}

export function quotingFor(platform: string): Quoting {
  return platform === 'win32' ? 'windows' : 'posix';
}

export function splitArgs(command: string, quoting: Quoting): string[] {
  return quoting === 'windows' ? splitWindows(command) : splitPosix(command);
}

const BLANK = /[ \t\r\n]/;

function splitPosix(s: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (BLANK.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new ArgvError(`unbalanced single quote at position ${i + 1}`);
      word += s.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw new ArgvError('unbalanced double quote');
        const d = s[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < s.length && '"\\$`\n'.includes(s[i + 1]!)) {
          if (s[i + 1] !== '\n') word += s[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new ArgvError('a backslash ends the command');
      if (s[i + 1] === '\n') {
        // Line continuation.
        if (word === '') inWord = false;
      } else {
        word += s[i + 1];
      }
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) out.push(word);
  return out;
}

function splitWindows(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  const skipBlanks = () => {
    while (i < n && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\n')) i++;
  };
  skipBlanks();
  if (i >= n) return out;
  // The program name: quotes delimit, nothing is escaped.
  let program = '';
  let quoted = false;
  while (i < n) {
    const c = s[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t' || c === '\r' || c === '\n')) break;
    else program += c;
    i++;
  }
  out.push(program);
  for (;;) {
    skipBlanks();
    if (i >= n) break;
    let word = '';
    let inQuotes = false;
    while (i < n) {
      const c = s[i]!;
      if (!inQuotes && (c === ' ' || c === '\t' || c === '\r' || c === '\n')) break;
      if (c === '\\') {
        let slashes = 0;
        while (i < n && s[i] === '\\') {
          slashes++;
          i++;
        }
        if (s[i] === '"') {
          word += '\\'.repeat(Math.floor(slashes / 2));
          if (slashes % 2 === 1) {
            word += '"';
            i++;
          }
          // An even count leaves the quote to toggle below.
        } else {
          word += '\\'.repeat(slashes);
        }
        continue;
      }
      if (c === '"') {
        if (inQuotes && s[i + 1] === '"') {
          word += '"';
          i += 2;
          continue;
        }
        inQuotes = !inQuotes;
        i++;
        continue;
      }
      word += c;
      i++;
    }
    out.push(word);
  }
  return out;
}

/** The program word of a template as both quoting styles see it (quotes delimit, no escapes). */
export function programWord(command: string): string {
  const s = command.trimStart();
  if (s.startsWith('"') || s.startsWith("'")) {
    const end = s.indexOf(s[0]!, 1);
    return end < 0 ? s.slice(1) : s.slice(1, end);
  }
  const m = /^[^ \t\r\n]*/.exec(s);
  return m ? m[0] : '';
}
