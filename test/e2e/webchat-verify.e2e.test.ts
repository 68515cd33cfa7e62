import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startFakeTwilioServer, type FakeTwilioServer } from '../fakes/twilio.server';
import { eventually, type Harness } from '../support/harness';
import { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER } from '../support/sms.payloads';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Web chat proves the visitor's number in the page (#12): the code goes out by SMS (a fake
// Twilio), the visitor types it, a wrong one is refused with a clear message, the right one
// joins the chat to the number's existing WhatsApp contact. The browser only talks to the web app.
describe('web chat number verification in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let browser: Browser;
  let stack: WebStack;
  let twilio: FakeTwilioServer;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    twilio = await startFakeTwilioServer({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
    stack = await startWebStack({ env: { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER: TWILIO_NUMBER, TWILIO_API_URL: twilio.baseUrl } });
    ({ h, web, browser } = stack);
  });
  afterAll(async () => {
    await stack?.close();
    await twilio?.close();
  });

  it('sends a code to the typed number, refuses a wrong one, and verifies the right one', async () => {
    // The number already wrote on WhatsApp: proving it joins the chat to that contact.
    const waId = testWaId();
    const phone = `+${waId}`;
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, 2 bed in JVC please', name: 'Vera Verified' }))).status).toBe(200);
    const owner = await eventually(async () => (await sql<{ id: string }>('select id from contacts where wa_id = ?', [waId]))[0], 'the WhatsApp contact');

    const page = await browser.newPage();
    await page.goto(`${web.url}/chat`);
    await expect.poll(() => page.getByLabel('Message').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Verify your number' }).click();
    await page.getByLabel('Your phone number').fill(`+971 ${waId.slice(3, 5)} ${waId.slice(5)}`);
    const sends = twilio.sends().length;
    await page.getByRole('button', { name: 'Send code' }).click();
    const code = page.getByLabel('Verification code');
    await code.waitFor();
    expect(await page.locator('.chat-verify-hint').innerText()).toContain('SMS');

    const sms = await eventually(async () => twilio.sends().slice(sends).find((r) => r.params.To === phone), 'the code by SMS');
    const sent = /\b(\d{6})\b/.exec(sms.params.Body ?? '')![1]!;
    // The API token and the session key never reach the page: the page holds neither.
    expect(await page.evaluate(() => document.cookie)).not.toContain('leadline_chat');

    await code.fill(sent === '000000' ? '000001' : '000000');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const error = page.getByTestId('verify-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/not right.*\d+ tries left/);
    expect(await page.getByTestId('number-verified').count()).toBe(0);

    await code.fill(sent);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    const verified = page.getByTestId('number-verified');
    await verified.waitFor();
    expect(await verified.innerText()).toContain('verified');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'webchat-verified.png'), fullPage: true });
    // A reload still says so (the API keeps it on the session; the page shows the last digits only).
    await page.reload();
    await page.getByTestId('number-verified').waitFor();
    expect(await page.getByTestId('number-verified').innerText()).toContain(`ending ${waId.slice(-4)}`);
    expect(await page.getByTestId('number-verified').innerText()).not.toContain(waId);

    // The session is proven and now belongs to the number's contact.
    const [session] = await sql<{ contact_id: string; verified_at: Date | null }>('select contact_id, verified_at from sessions where claimed_phone = ? order by created_at desc limit 1', [phone]);
    expect(session!.verified_at).not.toBeNull();
    expect(session!.contact_id).toBe(owner.id);
    await page.close();
  });

  it('says so clearly when the number is not a phone number', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/chat`);
    await expect.poll(() => page.getByLabel('Message').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Verify your number' }).click();
    await page.getByLabel('Your phone number').fill('12345');
    await page.getByRole('button', { name: 'Send code' }).click();
    const error = page.getByTestId('verify-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('not a valid phone number');
    await page.close();
  });
});
