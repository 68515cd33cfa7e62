import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { eventually, type Harness } from '../support/harness';
import { chat, createSession } from '../support/webchat';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// "Possible same person" on the lead page (#12): a web chat typed the number of a WhatsApp
// contact; a manager merges the two from the web chat lead's page.
describe('merging two contacts from the lead page in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let stack: WebStack;
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('shows the note on the web chat lead and merges it into the WhatsApp contact', async () => {
    const waId = testWaId();
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, name: 'Mia Merge', text: 'Hi, a villa in Arabian Ranches' }))).status).toBe(200);
    const wa = await eventually(async () => (await sql<{ id: string }>('select id from contacts where wa_id = ?', [waId]))[0], 'the WhatsApp contact');
    const session = await createSession(h.baseUrl, { name: 'Mia' });
    expect((await chat(h.baseUrl, session.sessionKey, `Villa in Arabian Ranches please, my number is +${waId}`)).status).toBe(200);
    const hash = createHash('sha256').update(session.sessionKey, 'utf8').digest('hex');
    const webChat = await eventually(async () => {
      const rows = await sql<{ contact_id: string; lead_id: string; claimed_phone: string | null }>('select s.contact_id, s.lead_id, c.claimed_phone from sessions s join contacts c on c.id = s.contact_id where s.key_hash = ?', [hash]);
      return rows[0]?.claimed_phone ? rows[0] : undefined;
    }, 'the typed number');

    const page = await stack.signedInPage('manager@example.com', { viewport: { width: 1400, height: 1000 } });
    await page.goto(`${web.url}/leads/${webChat.lead_id}`);
    await page.waitForLoadState('networkidle');
    const note = page.getByTestId('same-person');
    await note.waitFor();
    expect(await note.getAttribute('data-contact-id')).toBe(wa.id);
    expect(await note.innerText()).toMatch(/Possible same person.*phone number.*whatsapp/s);
    // A manager is not an admin: no erase here.
    expect(await page.getByTestId('erase-contact').count()).toBe(0);

    await note.getByRole('button', { name: 'Merge…' }).click();
    await note.getByRole('button', { name: 'Yes, merge them' }).click();
    await page.getByTestId('merged-into').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'contact-merged.png'), fullPage: true });
    const [link] = await sql<{ same_person_as_id: string | null }>('select same_person_as_id from contacts where id = ?', [webChat.contact_id]);
    expect(link!.same_person_as_id).toBe(wa.id);
    const [session_] = await sql<{ contact_id: string }>('select contact_id from sessions where key_hash = ?', [hash]);
    expect(session_!.contact_id).toBe(wa.id);
    await page.close();
  });
});
