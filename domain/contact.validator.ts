import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Contact, Market } from './profile.schema';

// A lead is reachable when the phone is a real number for its country (full metadata, not just
// length checks) or the e-mail address is well formed.

export interface ContactValidity {
  valid: boolean;
  phoneValid: boolean;
  emailValid: boolean;
  /** The phone in E.164 when it is valid. */
  phoneE164: string | null;
}

// RFC 5322 "dot-atom" local part and a domain of labels with a 2+ letter TLD; linear to match.
const EMAIL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isValidEmail(email: string | null | undefined): boolean {
  if (typeof email !== 'string') return false;
  const e = email.trim();
  if (e.length < 6 || e.length > 254) return false;
  const at = e.lastIndexOf('@');
  if (at < 1 || at > 64) return false;
  return EMAIL_RE.test(e);
}

export function normalizePhone(phone: string | null | undefined, market: Market): string | null {
  if (typeof phone !== 'string' || phone.trim().length === 0 || phone.length > 64) return null;
  const p = phone.trim().replace(/^00(?=[1-9])/, '+');
  try {
    if (!isValidPhoneNumber(p, market)) return null;
    return parsePhoneNumberFromString(p, market)?.number ?? null;
  } catch {
    return null;
  }
}

export function contactValidity(contact: Partial<Contact> | null | undefined, market: Market): ContactValidity {
  const phoneE164 = normalizePhone(contact?.phone ?? null, market);
  const emailValid = isValidEmail(contact?.email ?? null);
  return { valid: phoneE164 !== null || emailValid, phoneValid: phoneE164 !== null, emailValid, phoneE164 };
}
