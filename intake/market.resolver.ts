import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Market } from '../domain/profile.schema';

/** The market a phone number belongs to (decides currency and rent period), or the default. */
export function marketForPhone(phoneE164: string | null | undefined, fallback: Market): Market {
  if (!phoneE164) return fallback;
  const country = parsePhoneNumberFromString(phoneE164)?.country;
  const parsed = Market.safeParse(country);
  return parsed.success ? parsed.data : fallback;
}
