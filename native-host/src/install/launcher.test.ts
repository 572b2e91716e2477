import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertBatchSafe, posixLauncher, shQuote, windowsLauncher } from './launcher';

describe('shQuote', () => {
  it('wraps in single quotes and splices each quote out and back in', () => {
    expect(shQuote('/opt/my node/bin/node')).toBe(`'/opt/my node/bin/node'`);
    expect(shQuote(`/home/o'brien/x`)).toBe(`'/home/o'\\''brien/x'`);
    expect(shQuote('')).toBe(`''`);
  });

  it.skipIf(process.platform === 'win32')('survives a real /bin/sh unchanged', () => {
    const nasty = [`it's`, 'a b', '$(touch /tmp/pwned)', '`id`', '"q"', 'back\\slash', 'new\nline', `''`, '*', '~', '-n'];
    for (const value of nasty) {
      expect(execFileSync('/bin/sh', ['-c', `printf '%s' ${shQuote(value)}`], { encoding: 'utf8' })).toBe(value);
    }
  });

  it('refuses NUL', () => {
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('POSIX launcher', () => {
  it('execs the absolute node with the host script and passes the browser arguments on', () => {
    const text = posixLauncher({ nodePath: '/usr/bin/node', hostScript: '/opt/voispeed/dist/host/host.cjs' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines).toContain(`exec '/usr/bin/node' '/opt/voispeed/dist/host/host.cjs' "$@"`);
    expect(text).not.toContain('VOISPEED_HOME');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('quotes paths with spaces and single quotes', () => {
    const text = posixLauncher({ nodePath: '/opt/my node/node', hostScript: `/home/o'neil/dist host/host.cjs` });
    expect(text).toContain(`exec '/opt/my node/node' '/home/o'\\''neil/dist host/host.cjs' "$@"`);
  });

  it('exports VOISPEED_HOME when the install had one, quoted', () => {
    const text = posixLauncher({ nodePath: '/usr/bin/node', hostScript: '/h/host.cjs', voispeedHome: `/tmp/sand box/it's` });
    expect(text).toContain(`VOISPEED_HOME='/tmp/sand box/it'\\''s'\nexport VOISPEED_HOME\n`);
    expect(text.indexOf('export VOISPEED_HOME')).toBeLessThan(text.indexOf('exec '));
  });
});

describe('Windows launcher (.bat)', () => {
  const nodePath = 'C:\\Program Files\\nodejs\\node.exe';
  const hostScript = 'C:\\Users\\ann\\voispeed (dev)\\dist\\host\\host.cjs';

  it('runs the quoted node with the quoted host and %*, CRLF, no echo', () => {
    const text = windowsLauncher({ nodePath, hostScript });
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('@echo off');
    expect(lines).toContain('setlocal EnableExtensions DisableDelayedExpansion');
    expect(lines).toContain(`"${nodePath}" "${hostScript}" %*`);
    expect(text).not.toContain('VOISPEED_HOME');
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).not.toContain('chcp');
  });

  it('sets VOISPEED_HOME with the whole assignment quoted', () => {
    const text = windowsLauncher({ nodePath, hostScript, voispeedHome: 'D:\\sand & box' });
    const lines = text.split('\r\n');
    expect(lines).toContain('set "VOISPEED_HOME=D:\\sand & box"');
    expect(lines.findIndex((l) => l.startsWith('set "VOISPEED_HOME'))).toBeLessThan(lines.findIndex((l) => l.includes('%*')));
  });

  it('switches cmd.exe to UTF-8 only when a path needs it', () => {
    const text = windowsLauncher({ nodePath, hostScript: 'C:\\Users\\Niccolò\\host.cjs' });
    const lines = text.split('\r\n');
    expect(lines).toContain('chcp 65001 >nul');
    expect(lines.indexOf('chcp 65001 >nul')).toBeLessThan(lines.findIndex((l) => l.includes('%*')));
  });

  it.each([
    ['%', 'C:\\100%\\node.exe', /contains %/],
    ['"', 'C:\\a"b\\node.exe', /contains "/],
    ['newline', 'C:\\a\nb\\node.exe', /contains newline/],
    ['CR', 'C:\\a\rb\\node.exe', /contains CR/],
  ])('refuses %s in a path', (_name, bad, message) => {
    expect(() => windowsLauncher({ nodePath: bad, hostScript })).toThrow(message);
    expect(() => windowsLauncher({ nodePath, hostScript: bad })).toThrow(message);
    expect(() => windowsLauncher({ nodePath, hostScript, voispeedHome: bad })).toThrow(/VOISPEED_HOME/);
  });

  it('names what it refused', () => {
    expect(() => assertBatchSafe('the node path', 'C:\\%PATH%\\node.exe')).toThrow(/^the node path contains %/);
  });
});
