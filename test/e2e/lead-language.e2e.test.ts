import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../support/harness';
import { type WebApp } from '../support/web-app';
import { startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';

// Issue 14: what a broker sees of a lead in another language whose reply failed: the language
// the lead writes in (inbox row and lead page header) and the alert badge in the inbox.

const SECRET = 'e2e-language-secret';
const TOKEN = 'e2e-language-token';

describe('the broker sees the lead’s language and its alerts', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  let web: WebApp;
  let stack: WebStack;

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    stack = await startWebStack({ env: { WHATSAPP_APP_SECRET: SECRET, WHATSAPP_TOKEN: TOKEN, META_GRAPH_URL: meta.baseUrl } });
    ({ h, web } = stack);
  });
  afterAll(async () => {
    await stack?.close();
    await meta?.close();
  });

  it('an Arabic lead whose reply Meta refused: an Arabic tag and "1 alert" in the inbox, the tag on the lead page', async () => {
    const waId = testWaId();
    meta.failNext({ method: 'POST', pathIncludes: '/messages' }, { status: 400, body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026, fbtrace_id: 'x' } } });
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'مرحبا، أبحث عن شقة غرفتين في دبي مارينا', name: `Arabic Lead ${waId.slice(-4)}` }), { secret: SECRET })).status).toBe(200);
    const leadId = await eventually(async () => {
      const rows = await h.orm.em.fork().getConnection().execute<{ id: string }[]>(
        `select l.id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ? and l.alert_count > 0 and c.language is not null`,
        [waId],
      );
      return rows[0]?.id;
    }, 'the alerted lead with its language', 60_000);

    const page = await stack.signedInPage('manager@example.com');
    await page.goto(`${web.url}/leads`);
    const row = page.locator(`tr[data-lead-id="${leadId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-language="ar"]').innerText()).toContain('Arabic');
    expect(await row.innerText()).toContain('1 alert');

    await page.goto(`${web.url}/leads/${leadId}`);
    expect(await page.locator('[data-testid="lead-header"] [data-language="ar"]').innerText()).toContain('العربية');
    await page.close();
  });
});
