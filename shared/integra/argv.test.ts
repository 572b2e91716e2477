import { describe, expect, it } from 'vitest';
import { ArgvError, programWord, splitArgs } from './argv';

describe('argv splitting, POSIX', () => {
  const split = (s: string) => splitArgs(s, 'posix');
  it('splits on blanks and keeps quoted blanks', () => {
    expect(split('/usr/bin/logger -t pbx !02 !01 !05')).toEqual(['/usr/bin/logger', '-t', 'pbx', '!02', '!01', '!05']);
    expect(split(`  a   'b c'  "d e"  `)).toEqual(['a', 'b c', 'd e']);
  });
  it('single quotes are literal; double quotes take \\" \\\\ \\$ \\` only', () => {
    expect(split(`'a\\b"c'`)).toEqual(['a\\b"c']);
    expect(split(`"a\\"b\\\\c\\$d\\e"`)).toEqual(['a"b\\c$d\\e']);
  });
  it('an unquoted backslash escapes the next character', () => {
    expect(split('a\\ b c\\\\d')).toEqual(['a b', 'c\\d']);
  });
  it('keeps empty quoted words and joins adjacent parts', () => {
    expect(split(`x '' "" a'b'"c"`)).toEqual(['x', '', '', 'abc']);
  });
  it('shell syntax is plain text: no variables, globs, pipes or substitutions', () => {
    expect(split('echo $HOME *.txt | wc > out `id` $(id)')).toEqual(['echo', '$HOME', '*.txt', '|', 'wc', '>', 'out', '`id`', '$(id)']);
  });
  it('refuses unbalanced quotes', () => {
    expect(() => split(`a 'b`)).toThrow(ArgvError);
    expect(() => split('a "b')).toThrow(ArgvError);
  });
});

describe('argv splitting, Windows (MSVCRT rules)', () => {
  const split = (s: string) => splitArgs(s, 'windows');
  it('keeps backslashes in paths, program and arguments', () => {
    expect(split('C:\\scripts\\x.bat !01 C:\\data\\in.txt')).toEqual(['C:\\scripts\\x.bat', '!01', 'C:\\data\\in.txt']);
    expect(split('"C:\\Program Files\\CRM\\crm.exe" /n !01')).toEqual(['C:\\Program Files\\CRM\\crm.exe', '/n', '!01']);
  });
  it('backslashes before a quote: 2n → n and a toggle, 2n+1 → n and a literal quote', () => {
    expect(split('p a\\\\"b c"')).toEqual(['p', 'a\\b c']);
    expect(split('p a\\"b')).toEqual(['p', 'a"b']);
    expect(split('p "a\\\\\\"b"')).toEqual(['p', 'a\\"b']);
    expect(split('p "C:\\dir\\\\"')).toEqual(['p', 'C:\\dir\\']);
  });
  it('"" inside quotes is a literal quote; single quotes are ordinary characters', () => {
    expect(split('p "a""b" \'c d\'')).toEqual(['p', 'a"b', "'c", "d'"]);
  });
  it('the program name takes no escapes', () => {
    expect(split('C:\\a\\"b c"\\x.exe y')).toEqual(['C:\\a\\b c\\x.exe', 'y']);
  });
});

describe('programWord', () => {
  it('is the first word as both styles see it', () => {
    expect(programWord('  "C:\\Program Files\\x.exe" a')).toBe('C:\\Program Files\\x.exe');
    expect(programWord("'/opt/my crm/run' !01")).toBe('/opt/my crm/run');
    expect(programWord('!01 x')).toBe('!01');
  });
});
