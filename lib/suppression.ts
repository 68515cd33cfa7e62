import { createHmac } from 'node:crypto';

// The opt-out of an erased person survives only as HMACs of their phone (E.164) and e-mail,
// keyed with SUPPRESSION_HMAC_KEY: enough to recognise the same number before sending to it,
// useless for finding out whose number it was without the key.

export interface SuppressionIdentity {
  phone?: string | null;
  waId?: string | null;
  email?: string | null;
}

export interface SuppressionHash {
  hash: string;
  kind: 'phone' | 'email';
}

const digits = (v: string) => v.replace(/\D/g, '');

export function suppressionHashes(key: string, identity: SuppressionIdentity): SuppressionHash[] {
  const mac = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest('hex');
  const phones = new Set<string>();
  // A WhatsApp id is the number's digits: the same E.164 number as the SMS sender's.
  for (const v of [identity.phone, identity.waId]) if (v && digits(v).length >= 6) phones.add(`+${digits(v)}`);
  const out: SuppressionHash[] = [...phones].map((p) => ({ hash: mac(`phone:${p}`), kind: 'phone' as const }));
  if (identity.email) out.push({ hash: mac(`email:${identity.email.trim().toLowerCase()}`), kind: 'email' });
  return out;
}
