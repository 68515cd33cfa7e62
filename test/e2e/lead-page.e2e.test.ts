import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { LeadState } from '../../domain/lead-state.model';
import { eventually, machineAuth, type Harness } from '../support/harness';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Issue 15, point 3: the lead page for the first five seconds. A WhatsApp lead that qualified
// (so a handoff is on its timeline), was disqualified by hand at 20, wrote with WhatsApp
// formatting and markup, then opted out; seen at 1440×900 and at 390×844.

describe('the lead page in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let stack: WebStack;
  let leadId: string;
  const waId = testWaId();
  const name = `Page Tester ${waId.slice(-4)}`;
  const formatted = 'Also *really* need _parking_ and ~no~ a gym: ```B-12``` <b>not bold</b>';

  const sql = <T>(q: string, p: unknown[]) => h.orm.em.fork().getConnection().execute<T[]>(q, p);
  const state = async () => ((await (await fetch(`${h.baseUrl}/leads/${leadId}`, { headers: machineAuth })).json()) as { workflow: { state: LeadState } }).workflow.state;
  const send = async (text: string) => expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text, name }))).status).toBe(200);

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web } = stack);
    await send('Hi, I want a 2 bedroom apartment in Dubai Marina, up to 2.5M, cash, moving next month');
    leadId = await eventually(async () => {
      const rows = await sql<{ id: string }>(`select l.id from leads l join contacts c on c.id = l.contact_id join timeline_entries a on a.lead_id = l.id where c.wa_id = ? and a.type = 'handoff'`, [waId]);
      return rows[0]?.id;
    }, 'the handoff on the timeline', 60_000);
    // A longer conversation, so "opens at the newest message" means something.
    for (let i = 0; i < 4; i++) {
      await send(i === 3 ? formatted : `Question ${i + 1}: is there a view of the sea from a high floor, and is it close to the tram?`);
      await eventually(async () => ((await state()).transcript.filter((m) => m.from === 'lead').length >= i + 2 ? true : undefined), `message ${i + 2} in the transcript`, 60_000);
    }
    await eventually(async () => ((await state()).transcript.at(-1)?.from === 'agent' ? true : undefined), 'the last answer', 60_000);
    const override = await fetch(`${h.baseUrl}/leads/${leadId}/qualify`, {
      method: 'POST',
      headers: { ...machineAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ qualified: false, score: 20, reason: 'Spoke on the phone: not buying this year', by: 'broker-amina' }),
    });
    expect(override.status).toBe(200);
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function openAs(viewport: { width: number; height: number }): Promise<Page> {
    const page = await stack.signedInPage('manager@example.com', { viewport });
    await page.goto(`${web.url}/leads/${leadId}`);
    await page.waitForLoadState('networkidle');
    return page;
  }

  it('desktop: header, override beside the score, the newest message in view, events between messages, formatting, plain errors', async () => {
    const page = await openAs({ width: 1440, height: 900 });
    const header = page.getByTestId('lead-header');
    expect(await header.getByRole('heading', { level: 1 }).innerText()).toBe(name);
    expect(await page.getByTestId('header-score').innerText()).toMatch(/^20\s*\/100\s*manual$/);
    expect(await page.getByTestId('header-qualified').innerText()).toBe('Not qualified');
    expect(await page.getByTestId('header-owner').innerText()).toMatch(/^Offered to .+, not claimed$|^Unclaimed \(pool\)$/);
    expect(await page.getByTestId('header-sla').innerText()).toMatch(/claim (\d+:\d\d left|breached)|none running/);
    expect(await header.getByRole('link', { name: `WhatsApp ${name}` }).getAttribute('href')).toBe(`https://wa.me/${waId}`);
    expect(await header.getByRole('link', { name: `Call ${name}` }).getAttribute('href')).toBe(`tel:+${waId}`);
    // The header is on the first screen.
    const box = (await header.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(900);

    // The score agrees with itself: the override and its reason beside it, the model's breakdown labelled as such.
    expect(await page.getByTestId('score').innerText()).toMatch(/^20\s*\/ 100\s*not qualified$/);
    expect(await page.getByTestId('score-override').innerText()).toContain('Spoke on the phone: not buying this year');
    const modelLine = await page.getByTestId('score-model').innerText();
    expect(modelLine).toMatch(/^The model's assessment before the override: \d+\/100$/);
    const parts = await page.locator('.score-parts .score-points').allInnerTexts();
    const sum = parts.reduce((n, t) => n + Number(t.split('/')[0]), 0);
    expect(modelLine).toContain(`${sum}/100`);

    // The transcript opens scrolled to the newest message, and the keyboard can scroll it.
    const transcript = page.getByTestId('transcript');
    expect(await transcript.getAttribute('tabindex')).toBe('0');
    expect(await transcript.getAttribute('aria-label')).toBe(`Conversation with ${name}`);
    const metrics = () => transcript.evaluate((el) => ({ top: el.scrollTop, max: el.scrollHeight - el.clientHeight }));
    const opened = await metrics();
    expect(opened.max).toBeGreaterThan(0);
    expect(opened.max - opened.top).toBeLessThan(4);
    await transcript.focus();
    expect(await transcript.evaluate((el) => document.activeElement === el)).toBe(true);
    await page.keyboard.press('PageUp');
    await expect.poll(async () => (await metrics()).top, { timeout: 5_000 }).toBeLessThan(opened.top);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await metrics()).top, { timeout: 5_000 }).toBe(0);

    // System events sit between the messages: the handoff after the first answer, the override as who-did-what.
    const kinds = await transcript.locator('.bubble, [data-testid="timeline-event"]').evaluateAll((els) =>
      els.map((e) => (e.classList.contains('bubble') ? `msg:${e.getAttribute('data-from')}` : `event:${e.getAttribute('data-type')}`)),
    );
    const handoffAt = kinds.indexOf('event:handoff');
    expect(handoffAt).toBeGreaterThan(0);
    expect(kinds.slice(handoffAt + 1).some((k) => k.startsWith('msg:'))).toBe(true);
    expect(await transcript.locator('[data-type="action"]', { hasText: 'disqualified the lead (score 20)' }).count()).toBe(1);
    // Lead and AI bubbles look different.
    const colour = (sel: string) => transcript.locator(sel).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await colour('.bubble.lead')).not.toBe(await colour('.bubble.agent'));

    // WhatsApp formatting is rendered; markup stays text.
    const bubble = transcript.locator('.bubble.lead', { hasText: 'parking' });
    expect(await bubble.locator('strong').innerText()).toBe('really');
    expect(await bubble.locator('em').innerText()).toBe('parking');
    expect(await bubble.locator('s').innerText()).toBe('no');
    expect(await bubble.locator('code').innerText()).toBe('B-12');
    expect(await bubble.locator('b').count()).toBe(0);
    expect(await bubble.innerText()).toContain('<b>not bold</b>');

    // An error reads as a sentence, not a code.
    await page.getByLabel('New task').fill('Backdated call');
    await page.getByLabel('Due').fill('2020-01-01T10:00');
    await page.getByRole('button', { name: 'Add task' }).click();
    const refused = page.getByTestId('add-task-error');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('A task must be due in the future. Pick a later date and time.');
    expect(await refused.innerText()).not.toContain('task_due_in_past');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'lead-page-desktop.png'), fullPage: true });
    await page.close();
  });

  it('live: a new message from the lead appears without a reload, and a draft being typed stays', async () => {
    const page = await openAs({ width: 1440, height: 900 });
    await page.evaluate(() => Object.assign(window, { pageMarker: 'still here' }));
    const draft = 'Half-written reply about the Marina viewing';
    await page.getByLabel('Message the lead').fill(draft);
    await page.getByLabel('New task').fill('Draft task title');
    await send('One more thing: is there a gym in the building?');
    await page.getByTestId('transcript').locator('.bubble.lead', { hasText: 'is there a gym in the building' }).waitFor({ timeout: 60_000 });
    expect(await page.getByLabel('Message the lead').inputValue()).toBe(draft);
    expect(await page.getByLabel('New task').inputValue()).toBe('Draft task title');
    expect(await page.evaluate(() => (window as unknown as { pageMarker?: string }).pageMarker)).toBe('still here');
    await page.close();
  });

  it('an opted-out lead: a banner and a composer that cannot send', async () => {
    await send('STOP');
    await eventually(async () => ((await state()).optedOut ? true : undefined), 'the opt-out', 60_000);
    const page = await openAs({ width: 1440, height: 900 });
    expect(await page.getByTestId('opt-out-banner').innerText()).toContain('The lead opted out.');
    expect(await page.getByLabel('Message the lead').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    await page.close();
  });

  it('phone (390×844): stacked, the header and contact actions on the first screen, nothing wider than the page', async () => {
    const page = await openAs({ width: 390, height: 844 });
    for (const link of [`Call ${name}`, `WhatsApp ${name}`]) {
      const b = (await page.getByRole('link', { name: link }).boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(390);
      expect(b.y + b.height).toBeLessThanOrEqual(844);
    }
    const scoreBox = (await page.getByTestId('header-score').boundingBox())!;
    expect(scoreBox.y + scoreBox.height).toBeLessThanOrEqual(844);
    // The page's own content never needs a sideways scroll within its column.
    const { overflow, wide } = await page.locator('.lead-page').evaluate((el) => {
      const right = el.getBoundingClientRect().right;
      const wide = [...el.querySelectorAll('*')]
        .filter((c) => c.getBoundingClientRect().right > right + 1)
        .slice(0, 8)
        .map((c) => `${c.tagName.toLowerCase()}.${[...c.classList].join('.')}:${Math.round(c.getBoundingClientRect().right - right)}`);
      return { overflow: el.scrollWidth - el.clientWidth, wide };
    });
    expect(overflow, wide.join(' ')).toBeLessThanOrEqual(1);
    // Stacked: the side column (score, profile) comes below the conversation, not beside it.
    const main = (await page.locator('.lead-main').boundingBox())!;
    const side = (await page.locator('.lead-side').boundingBox())!;
    expect(side.y).toBeGreaterThanOrEqual(main.y + main.height - 1);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'lead-page-phone.png'), fullPage: true });
    await page.close();
  });
});
