import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

const SID = `AC${'a'.repeat(32)}`;
// Production also wants the payload encryption keys (any 32 bytes do here).
const prod = { NODE_ENV: 'production', API_TOKEN: 'a-long-enough-token-123', ENCRYPTION_MASTER_KEYS: 'k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' };

describe('SMS configuration', () => {
  it('refuses to start in production with SMS on and no auth token', () => {
    expect(() => parseEnv({ ...prod, TWILIO_ACCOUNT_SID: SID, TWILIO_FROM_NUMBER: '+15017122661' })).toThrow(/TWILIO_AUTH_TOKEN: is required when NODE_ENV=production/);
    expect(() => parseEnv({ ...prod, TWILIO_MESSAGING_SERVICE_SID: `MG${'b'.repeat(32)}` })).toThrow(/TWILIO_AUTH_TOKEN/);
  });

  it('starts in production with the token, and without SMS at all', () => {
    const env = parseEnv({ ...prod, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM_NUMBER: '+15017122661' });
    expect(env.TWILIO_FROM_NUMBER).toBe('+15017122661');
    expect(parseEnv(prod).TWILIO_ACCOUNT_SID).toBeUndefined();
  });

  it('needs a sender with the account, and checks the shapes', () => {
    expect(() => parseEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'token' })).toThrow(/TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID/);
    expect(() => parseEnv({ TWILIO_ACCOUNT_SID: 'AC123', TWILIO_FROM_NUMBER: '+15017122661' })).toThrow(/TWILIO_ACCOUNT_SID/);
    expect(() => parseEnv({ TWILIO_ACCOUNT_SID: SID, TWILIO_FROM_NUMBER: '5017122661' })).toThrow(/E.164/);
  });
});
