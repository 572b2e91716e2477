import { describe, expect, it } from 'vitest';
import { callIdFor } from './call-id';

describe('callIdFor', () => {
  it('keeps a safe Call-ID', () => expect(callIdFor('a84b4c76e66710@pc33.example.com')).toBe('a84b4c76e66710@pc33.example.com'));
  it('hashes an unsafe one, stably', () => {
    const id = callIdFor('abc;$(reboot)');
    expect(id).toMatch(/^h-[0-9a-f]{32}$/);
    expect(callIdFor('abc;$(reboot)')).toBe(id);
    expect(callIdFor('abc;$(reboot2)')).not.toBe(id);
  });
  it('hashes an overlong one', () => expect(callIdFor('a'.repeat(200))).toMatch(/^h-/));
});
