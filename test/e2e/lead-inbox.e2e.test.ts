import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { type Harness } from '../support/harness';
import { answeredLead } from '../support/lead-lookup';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

describe('broker web app in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('shows a WhatsApp lead in the inbox and its conversation, score and Temporal link on the detail page', async () => {
    const waId = testWaId();
    const name = `Inbox Tester ${waId.slice(-4)}`;
    const text = 'Hi, I want a 2 bedroom apartment in Dubai Marina, up to 2.5M, cash';
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text, name }))).status).toBe(200);
    const { leadId } = await answeredLead(h.orm, waId, { pastNew: true });

    const page = await stack.signedInPage('manager@example.com');
    await page.goto(`${web.url}/`);
    await page.waitForURL(/\/leads$/);
    const row = page.locator(`tr[data-lead-id="${leadId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain(name);
    expect(await row.innerText()).toContain('WhatsApp');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'inbox.png'), fullPage: true });

    await row.getByRole('link').click();
    await page.waitForURL(new RegExp(`/leads/${leadId}$`));
    const transcript = page.getByTestId('transcript');
    await transcript.getByText(text).waitFor();
    const bubbles = await transcript.locator('.bubble').count();
    expect(bubbles).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.bubble.agent').count()).toBeGreaterThanOrEqual(1);
    const link = page.getByTestId('temporal-link');
    expect(await link.getAttribute('href')).toBe(`${h.env.TEMPORAL_UI_URL}/namespaces/default/workflows/lead-${leadId}`);
    expect(await page.getByText('RUNNING').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'lead-detail.png'), fullPage: true });
    await page.close();
  });

  it('renders the error envelope of an unknown lead as a readable page', async () => {
    const page = await stack.signedInPage('manager@example.com');
    const res = await page.goto(`${web.url}/leads/00000000-0000-4000-8000-000000000000`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole('alert').innerText()).toContain('Lead not found');
    await page.close();
  });
});
