import { describe, expect, it, vi } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from '#cases/domain/case-number';
import { normalizeEmail, normalizePhone } from '#customers/domain/customer';
import { ValidationError } from '#platform/domain/errors';

describe('case numbers', () => {
  it('pads to six digits and grows past a million', () => {
    expect(formatCaseNumber(1)).toBe('CS-000001');
    expect(formatCaseNumber(123)).toBe('CS-000123');
    expect(formatCaseNumber(1_234_567)).toBe('CS-1234567');
  });

  it('parses what it formats, case-insensitively, and nothing else', () => {
    expect(parseCaseNumber('CS-000123')).toBe(123);
    expect(parseCaseNumber(' cs-42 ')).toBe(42);
    expect(parseCaseNumber('CS-000000')).toBeNull();
    expect(parseCaseNumber('01JD0000000000000000000000')).toBeNull();
  });

  it('refuses a sequence that is not a positive integer', () => {
    expect(() => formatCaseNumber(0)).toThrow(RangeError);
    expect(() => formatCaseNumber(1.5)).toThrow(RangeError);
  });
});

describe('identities', () => {
  it('lower-cases and trims email addresses', () => {
    expect(normalizeEmail('  Anna.Kowalska@Example.PL ')).toBe('anna.kowalska@example.pl');
  });

  it('refuses text that is not an email address', () => {
    expect(() => normalizeEmail('anna@')).toThrow(ValidationError);
    expect(() => normalizeEmail('anna example.pl')).toThrow(ValidationError);
  });

  it('refuses an address over 254 characters before any pattern runs over it', () => {
    const longest = `${'a'.repeat(64)}@${'b'.repeat(186)}.pl`;
    const tooLong = `${'a'.repeat(65)}@${'b'.repeat(186)}.pl`;
    const patterns = vi.spyOn(RegExp.prototype, 'test');
    try {
      expect(() => normalizeEmail(tooLong)).toThrow(ValidationError);
      expect(patterns.mock.contexts.filter((pattern) => (pattern as RegExp).source.includes('@'))).toEqual([]);
      expect(normalizeEmail(longest)).toBe(longest);
    } finally {
      patterns.mockRestore();
    }
  });

  it('normalizes international phone numbers to E.164', () => {
    expect(normalizePhone('+48 601 234 567')).toBe('+48601234567');
    expect(normalizePhone('0048-601-234-567')).toBe('+48601234567');
    expect(normalizePhone('+49 (30) 1234567')).toBe('+49301234567');
  });

  it('refuses national numbers and impossible numbers', () => {
    expect(() => normalizePhone('601 234 567')).toThrow(ValidationError);
    expect(() => normalizePhone('+48 12')).toThrow(ValidationError);
  });
});
