import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness';

const TOKEN = 'test-api-token-0123456789';

describe('broker API token (API_TOKEN)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { API_TOKEN: TOKEN }, worker: false });
  });
  afterAll(async () => h?.close());

  it('refuses the lead list without a token or with a wrong one', async () => {
    const none = await fetch(`${h.baseUrl}/leads`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await fetch(`${h.baseUrl}/leads`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('serves the lead list with the token', async () => {
    const ok = await fetch(`${h.baseUrl}/leads`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it('keeps health, the OpenAPI document and the signed webhooks reachable without it', async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/openapi.json`)).status).toBe(200);
    // Reaches the webhook's own checks (a body that is not an envelope), not the token check.
    const hook = await fetch(`${h.baseUrl}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hook.status).toBe(400);
  });
});
