import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { type Harness } from '../support/harness';
import { answeredLead } from '../support/lead-lookup';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Data rights from the lead page (#12): an admin erases a contact behind a typed confirmation and
// sees what is left (the anonymous statistic); a broker is offered no erase, and the web route
// and API refuse one anyway.
describe('erase a contact from the lead page in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let stack: WebStack;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  /** A new WhatsApp lead, once the agent answered it. */
  async function newLead(name: string) {
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, I am looking for a flat', name }))).status).toBe(200);
    const { leadId, contactId } = await answeredLead(h.orm, waId);
    return { lead_id: leadId, contact_id: contactId, waId };
  }

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('an admin erases the contact after typing ERASE and sees the lead left as an anonymous statistic', async () => {
    const name = `Erin Erasable ${Date.now().toString(36)}`;
    const { lead_id: leadId, contact_id: contactId, waId } = await newLead(name);
    const page = await stack.signedInPage('admin@example.com', { viewport: { width: 1400, height: 900 } });
    await page.goto(`${web.url}/leads/${leadId}`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('h1').innerText()).toContain(name);

    await page.getByTestId('erase-contact').locator('summary').click();
    const confirm = page.getByLabel('Type ERASE to confirm');
    const submit = page.getByRole('button', { name: 'Erase this contact' });
    // The wrong word: the browser refuses to send the form and nothing is erased.
    await confirm.fill('erase');
    await submit.click();
    expect(await confirm.evaluate((el) => (el as HTMLInputElement).validity.valid)).toBe(false);
    expect(new URL(page.url()).pathname).toBe(`/leads/${leadId}`);
    expect((await sql<{ name: string | null }>('select name from contacts where id = ?', [contactId]))[0]?.name).toBe(name);

    await confirm.fill('ERASE');
    await submit.click();
    await page.waitForURL((url) => url.pathname === `/contacts/${contactId}/erase`, { timeout: 150_000 });
    await page.getByTestId('erase-done').waitFor({ timeout: 150_000 });
    const row = page.getByTestId('anonymous-leads').locator(`tr[data-lead-id="${leadId}"]`);
    expect(await row.innerText()).toContain('whatsapp');
    expect(await row.innerText()).toContain('anonymous');
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(name);
    expect(text).not.toContain(waId);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'contact-erased.png'), fullPage: true });

    // The database agrees: the person is gone, the lead row stays as an erased statistic.
    const [contact] = await sql<{ name: string | null; wa_id: string | null; erased_at: Date | null }>('select name, wa_id, erased_at from contacts where id = ?', [contactId]);
    expect(contact).toMatchObject({ name: null, wa_id: null });
    expect(contact!.erased_at).not.toBeNull();
    const [lead] = await sql<{ channel: string; erased_at: Date | null }>('select channel, erased_at from leads where id = ?', [leadId]);
    expect(lead?.channel).toBe('whatsapp');
    expect(lead!.erased_at).not.toBeNull();
    // The old lead page has nothing to show any more.
    const gone = await page.goto(`${web.url}/leads/${leadId}`);
    expect(gone?.status()).toBe(404);
    await page.close();
  });

  it('a broker sees no erase action, and a forged erase through the web route is refused', async () => {
    const name = `Bruno Keepme ${Date.now().toString(36)}`;
    const { lead_id: leadId, contact_id: contactId } = await newLead(name);
    const page = await stack.signedInPage('james@example.com', { viewport: { width: 1400, height: 900 } });
    await page.goto(`${web.url}/leads/${leadId}`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('h1').innerText()).toContain(name);
    expect(await page.getByTestId('erase-contact').count()).toBe(0);
    expect(await page.getByTestId('export-contact').count()).toBe(0);

    // Posting the form anyway (same origin, the broker's own session): the API says no.
    const forged = await page.context().request.post(`${web.url}/contacts/${contactId}/erase`, { form: { confirm: 'ERASE', leadId }, headers: { origin: web.url } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('forbidden');
    const [contact] = await sql<{ name: string | null; erased_at: Date | null }>('select name, erased_at from contacts where id = ?', [contactId]);
    expect(contact).toMatchObject({ name, erased_at: null });
    await page.context().close();
  });
});
