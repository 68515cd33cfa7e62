import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('production configuration', () => {
  it('refuses to run the broker API open in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/API_TOKEN: is required when NODE_ENV=production/);
  });
  it('accepts production with a token', () => {
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(parseEnv({ NODE_ENV: 'production', API_TOKEN: 'a-long-enough-token-123', ENCRYPTION_MASTER_KEYS: keys }).API_TOKEN).toBe('a-long-enough-token-123');
  });
});
