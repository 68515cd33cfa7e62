import { describe, expect, it } from 'vitest';
import { contactValidity, isValidEmail } from './contact.validator';

describe('contactValidity', () => {
  it.each([
    ['+971501234567', 'AE', true], ['050 123 4567', 'AE', true], ['12345', 'AE', false], ['+9715012', 'AE', false],
    ['+447911123456', 'GB', true], ['07911 123456', 'GB', true], ['+447700900123', 'GB', false],
    ['+14155552671', 'US', true], ['(415) 555-2671', 'US', true], ['+919876543210', 'IN', true], ['98765 43210', 'IN', true],
    ['00971501234567', 'GB', true],
  ] as const)('phone %s in %s → %s', (phone, market, valid) => {
    expect(contactValidity({ name: null, phone, email: null }, market).valid).toBe(valid);
  });

  it('returns E.164 for a valid local number', () => {
    expect(contactValidity({ name: 'Ali', phone: '050 123 4567', email: null }, 'AE').phoneE164).toBe('+971501234567');
  });

  it('accepts a well-formed e-mail when there is no valid phone', () => {
    expect(contactValidity({ name: 'Sam', phone: '123', email: 'sam@example.com' }, 'AE').valid).toBe(true);
    expect(contactValidity({ name: 'Sam', phone: null, email: 'sam@' }, 'AE').valid).toBe(false);
    expect(contactValidity(null, 'AE').valid).toBe(false);
  });

  it.each([['a@b.co', true], ['first.last+tag@sub.example.ae', true], ['sam@', false], ['@x.com', false], ['a@b', false], ['a b@c.com', false], ['a@b..com', false], ['not-an-email', false]])(
    'email %s → %s', (email, valid) => {
      expect(isValidEmail(email)).toBe(valid);
    });
});
