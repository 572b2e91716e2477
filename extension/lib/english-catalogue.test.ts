import { describe, expect, it } from 'vitest';
import { englishMessage } from './english-catalogue';

describe('englishMessage', () => {
  it('substitutes placeholders like chrome.i18n', () => {
    expect(englishMessage('regRegisteredLabel', ['1001', 'sandbox'])).toBe('Registered as 1001 (sandbox)');
    expect(englishMessage('dialHint', '02 6161 6161')).toBe('Will call 02 6161 6161');
  });
  it('never re-reads a substituted value', () => expect(englishMessage('dialHint', '$1 $$ $NUMBER$')).toBe('Will call $1 $$ $NUMBER$'));
  it('answers "" for an unknown key, as chrome.i18n does', () => expect(englishMessage('nope')).toBe(''));
});
