import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('parseEnv', () => {
  it('gives local defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env.API_PORT).toBe(3000);
    expect(env.WEB_PORT).toBe(3001);
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(env.DEFAULT_MARKET).toBe('AE');
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ OPENAI_API_KEY: '', API_PORT: '' }).API_PORT).toBe(3000);
  });

  it('fails fast listing every bad variable', () => {
    let error: unknown;
    try {
      parseEnv({ API_PORT: 'abc', DATABASE_URL: 'not a url', DEFAULT_MARKET: 'FR' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain('API_PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('DEFAULT_MARKET');
  });

  it('keeps database connections for acks: the webhook hand-on may not take the whole pool', () => {
    expect(parseEnv({}).WEBHOOK_HANDON_LANES).toBeLessThanOrEqual(parseEnv({}).DATABASE_POOL_MAX - 2);
    expect(parseEnv({ DATABASE_POOL_MAX: '20', WEBHOOK_HANDON_LANES: '18' }).WEBHOOK_HANDON_LANES).toBe(18);
    expect(() => parseEnv({ WEBHOOK_HANDON_LANES: '9' })).toThrow(/WEBHOOK_HANDON_LANES.*DATABASE_POOL_MAX - 2 \(8\)/);
  });
});
