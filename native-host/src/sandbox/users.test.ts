import { describe, expect, it } from 'vitest';
import { ALL_USERS, ensurePasswords, newPassword } from './users';

describe('sandbox users', () => {
  it('has a password for every user, letters and digits only', () => {
    const pw = ensurePasswords();
    expect(Object.keys(pw).sort()).toEqual([...ALL_USERS].sort());
    for (const value of Object.values(pw)) expect(value).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(new Set(Object.values(pw)).size).toBe(ALL_USERS.length);
  });

  it('keeps the passwords of an earlier run so saved accounts stay valid', () => {
    const first = ensurePasswords();
    expect(ensurePasswords(first)).toEqual(first);
  });

  it('replaces a missing or unsafe stored password', () => {
    const first = ensurePasswords();
    const again = ensurePasswords({ ...first, '1002': 'bad"quote;', '2001': undefined });
    expect(again['1001']).toBe(first['1001']);
    expect(again['1002']).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(again['2001']).not.toBe(first['2001']);
  });

  it('makes different passwords each time', () => {
    expect(newPassword()).not.toBe(newPassword());
  });
});
