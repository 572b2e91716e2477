import { describe, expect, it } from 'vitest';
import { regAddArgs, regDeleteArgs, regExePath, regQueryArgs } from './windows-registry';

describe('reg.exe argument arrays', () => {
  const key = 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\voispeed.ui';
  const file = 'C:\\Users\\Ann Smith & Co\\AppData\\Roaming\\voispeed\\host\\voispeed.ui-chrome.json';

  it('add sets the default value to the manifest path, as one argument', () => {
    expect(regAddArgs(key, file)).toEqual(['add', key, '/ve', '/t', 'REG_SZ', '/d', file, '/f']);
  });

  it('delete removes the key without asking', () => {
    expect(regDeleteArgs(key)).toEqual(['delete', key, '/f']);
    expect(regQueryArgs(key)).toEqual(['query', key]);
  });

  it('runs the reg.exe from the system folder', () => {
    expect(regExePath({ SystemRoot: 'D:\\WINDOWS' })).toBe('D:\\WINDOWS\\System32\\reg.exe');
    expect(regExePath({})).toBe('C:\\Windows\\System32\\reg.exe');
  });
});
