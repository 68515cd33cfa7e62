import { describe, expect, it } from 'vitest';
import { apiHost, parseEnv } from './env';

const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const complete = { NODE_ENV: 'production', API_TOKEN: 'a-long-enough-token-123', ENCRYPTION_MASTER_KEYS: keys, WHATSAPP_APP_SECRET: 'meta-app-secret', SUPPRESSION_HMAC_KEY: 'suppression-key-0123456789' };

describe('production configuration', () => {
  it('refuses to run the broker API open in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/API_TOKEN: is required when NODE_ENV=production/);
  });
  it('accepts production with a token, the app secret and the suppression key', () => {
    expect(parseEnv(complete).API_TOKEN).toBe('a-long-enough-token-123');
  });
  it('refuses to start without the app secret of the Meta webhooks (they would be accepted unsigned)', () => {
    expect(() => parseEnv({ ...complete, WHATSAPP_APP_SECRET: undefined })).toThrow(/WHATSAPP_APP_SECRET: is required when NODE_ENV=production/);
  });
  it('refuses to start without the suppression key', () => {
    expect(() => parseEnv({ ...complete, SUPPRESSION_HMAC_KEY: undefined })).toThrow(/SUPPRESSION_HMAC_KEY: is required/);
  });
  it('listens on every interface only in production, unless API_HOST says', () => {
    expect(apiHost(parseEnv({}))).toBe('127.0.0.1');
    expect(apiHost(parseEnv(complete))).toBe('0.0.0.0');
    expect(apiHost(parseEnv({ API_HOST: '10.0.0.5' }))).toBe('10.0.0.5');
  });
});
