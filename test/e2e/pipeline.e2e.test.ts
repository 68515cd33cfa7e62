import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { LeadState } from '../../domain/lead-state.model';
import { eventually, machineAuth, type Harness } from '../support/harness';
import { answeredLead } from '../support/lead-lookup';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { dragUntilPosted } from '../support/browser';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Issue 15, point 4: a pipeline that holds hundreds. About 60 leads on the board at 1440×900:
// columns scroll inside the board, a drag to Won scrolls it on its own, late stages need an
// owner (refused at the card for a manager), and the keyboard focus follows a moved card.

const FILLER: Record<string, number> = { new: 6, engaged: 26, qualified: 4, handoff: 3, claimed: 3, viewing: 3, negotiation: 3, nurture: 3, won: 3, lost: 3 };

describe('the pipeline at volume in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let stack: WebStack;
  const leads: Record<'won' | 'refused' | 'keyboard', { id: string; name: string }> = {} as never;

  const sql = <T>(q: string, p: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(q, p);
  const state = async (id: string) => ((await (await fetch(`${h.baseUrl}/leads/${id}`, { headers: machineAuth })).json()) as { workflow: { state: LeadState } }).workflow.state;

  /** A real lead (workflow and all) from a WhatsApp message, once the agent has answered. */
  async function whatsappLead(text: string, tag: string) {
    const waId = testWaId();
    const name = `Board ${tag} ${waId.slice(-4)}`;
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text, name }))).status).toBe(200);
    const { leadId: id } = await answeredLead(h.orm, waId, { timeoutMs: 60_000 });
    return { id, name };
  }

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web } = stack);
    // The volume: rows in the read model (the board lists them; no workflow needed to be seen).
    let i = 0;
    for (const [stage, n] of Object.entries(FILLER)) {
      for (let k = 0; k < n; k++, i++) {
        const contactId = randomUUID();
        await sql(`insert into contacts (id, name, market, opted_in_channels, created_at, updated_at) values (?, ?, 'AE', '{}', now(), now())`, [contactId, `Filler ${stage} ${k}`]);
        await sql(
          `insert into leads (id, contact_id, channel, status, score, qualified, owner_id, workflow_id, market, alert_count, created_at, updated_at)
           values (?, ?, 'whatsapp', ?, ?, false, null, ?, 'AE', 0, now() - (? * interval '1 minute'), now())`,
          [randomUUID(), contactId, stage, (i * 37) % 101, `filler-${randomUUID()}`, i + 10],
        );
      }
    }
    leads.won = await whatsappLead('Hi, I am looking for a flat', 'Won');
    leads.keyboard = await whatsappLead('Hello, I might want to rent something', 'Keys');
    leads.refused = await whatsappLead('Hi, I want a 2 bedroom apartment in Dubai Marina, up to 2.5M, cash, moving next month', 'Late');
    const claim = await fetch(`${h.baseUrl}/leads/${leads.won.id}/claim`, { method: 'POST', headers: { ...machineAuth, 'content-type': 'application/json' }, body: JSON.stringify({ brokerId: 'broker-james' }) });
    expect(claim.status).toBe(200);
    await eventually(async () => ((await sql<{ status: string }>('select status from leads where id = ?', [leads.won.id]))[0]?.status === 'claimed' ? true : undefined), 'the claim in the read model');
    await eventually(async () => {
      const s = (await sql<{ status: string }>('select status from leads where id = ?', [leads.refused.id]))[0]?.status;
      return s === 'qualified' || s === 'handoff' ? true : undefined;
    }, 'the qualified lead in the read model', 60_000);
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function board(email: string): Promise<Page> {
    const page = await stack.signedInPage(email, { viewport: { width: 1440, height: 900 } });
    await page.goto(`${web.url}/pipeline`);
    await page.waitForLoadState('networkidle');
    // Drags need the page hydrated (the board marks itself once its scripts run).
    await page.locator('[data-testid="pipeline"][data-ready="true"]').waitFor();
    return page;
  }
  /** A drag as a hand makes it: press, move a little, travel in steps, release (one jump can miss Chromium's drag start). */
  async function drag(page: Page, from: Locator, to: Locator) {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + 20);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 12, a.y + 32, { steps: 3 });
    await page.mouse.move(b.x + b.width / 2, b.y + 60, { steps: 10 });
    await page.mouse.up();
  }
  const column = (page: Page, stage: string) => page.locator(`section.column[data-stage="${stage}"]`);
  const card = (page: Page, id: string) => page.locator(`[data-testid="pipeline-card"][data-lead-id="${id}"]`);

  it('holds the volume: true counts per column, 20 cards then "show more", and a page no taller than the screen', async () => {
    const page = await board('james@example.com');
    const engaged = column(page, 'engaged');
    const count = Number(await engaged.getByTestId('column-count').innerText());
    expect(count).toBeGreaterThanOrEqual(FILLER.engaged!);
    expect(await engaged.getByTestId('pipeline-card').count()).toBe(20);
    await engaged.getByTestId('show-more').click();
    await expect.poll(() => engaged.getByTestId('pipeline-card').count(), { timeout: 15_000 }).toBe(Math.min(count, 40));
    // Columns scroll inside the board: the page itself stays about one screen tall.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(900 * 1.5);
    // Ten columns do not fit at 1440 px: Won starts out of sight, to the right.
    const boardBox = (await page.getByTestId('pipeline').boundingBox())!;
    expect((await column(page, 'won').boundingBox())!.x).toBeGreaterThan(boardBox.x + boardBox.width);
    await page.close();
  });

  it('drags a card to Won, the board scrolling sideways on its own while the card is held near the edge', async () => {
    const page = await board('james@example.com');
    const boardEl = page.getByTestId('pipeline');
    const boardBox = (await boardEl.boundingBox())!;
    expect(await boardEl.evaluate((el) => el.scrollLeft)).toBe(0);
    const source = card(page, leads.won.id);
    await source.scrollIntoViewIfNeeded();
    const from = (await source.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + 20);
    await page.mouse.down();
    const edgeX = Math.min(boardBox.x + boardBox.width, 1440) - 10;
    const y = boardBox.y + 120;
    await page.mouse.move(edgeX - 100, y, { steps: 5 });
    await page.mouse.move(edgeX, y, { steps: 5 });
    // Held still at the edge: the board scrolls until Won is in view.
    await expect
      .poll(async () => {
        await page.mouse.move(edgeX, y); // keeps Chromium's drag session alive; the scrolling comes from the board's own loop
        const won = (await column(page, 'won').boundingBox())!;
        return won.x + won.width <= Math.min(boardBox.x + boardBox.width, 1440);
      }, { timeout: 20_000, interval: 250 })
      .toBe(true);
    expect(await boardEl.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const won = (await column(page, 'won').boundingBox())!;
    await page.mouse.move(won.x + won.width / 2, won.y + 60, { steps: 5 });
    await page.mouse.up();
    await column(page, 'won').locator(`[data-lead-id="${leads.won.id}"]`).waitFor({ timeout: 30_000 });
    await eventually(async () => ((await state(leads.won.id)).stage === 'won' ? true : undefined), 'won in the workflow');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'pipeline-won.png') });
    await page.close();
  });

  it('refuses a manager moving an unowned lead to Viewing, with the reason at the card', async () => {
    const page = await board('manager@example.com');
    const target = card(page, leads.refused.id);
    const stageBefore = (await state(leads.refused.id)).stage;
    // Both columns well inside the board, away from its edges (where a held card scrolls the board).
    await page.getByTestId('pipeline').evaluate((el, from) => {
      el.scrollLeft = (el.querySelector<HTMLElement>(`section.column[data-stage="${from}"]`)?.offsetLeft ?? 0) - 100;
    }, stageBefore);
    await dragUntilPosted(page, () => drag(page, target, column(page, 'viewing')), '/pipeline');
    const error = target.getByTestId('card-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.innerText()).toContain('Someone must own the lead before it moves to that stage. Assign the lead to a broker before moving it to viewing');
    expect(await error.getAttribute('data-code')).toBe('owner_required');
    // At the card, in view, and the card is still where it was.
    const box = (await error.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1440);
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    expect(await column(page, 'viewing').locator(`[data-lead-id="${leads.refused.id}"]`).count()).toBe(0);
    expect(await state(leads.refused.id)).toMatchObject({ ownerId: null, stage: stageBefore });
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'pipeline-refused.png') });
    await page.close();
  });

  it('claims a lead from the keyboard ("claimed" claims it for me) and the focus follows the card', async () => {
    const page = await board('james@example.com');
    const target = card(page, leads.keyboard.id);
    const select = target.getByLabel(`Move ${leads.keyboard.name} to`);
    await select.focus();
    await select.selectOption('claimed');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await column(page, 'claimed').locator(`[data-lead-id="${leads.keyboard.id}"]`).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.evaluate(() => {
        const el = document.activeElement;
        return `${el?.closest('section.column')?.getAttribute('data-stage')}:${el?.closest('[data-testid="pipeline-card"]')?.getAttribute('data-lead-id')}`;
      }), { timeout: 15_000 })
      .toBe(`claimed:${leads.keyboard.id}`);
    expect((await state(leads.keyboard.id)).ownerId).toBe('broker-james');
    await page.close();
  });

  it('updates in place from the live feed when someone else moves a lead (no reload, no polling)', async () => {
    const page = await board('manager@example.com');
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    // A reload would drop this; an in-place update keeps it.
    await page.evaluate(() => Object.assign(window, { boardMarker: 'still here' }));
    expect(await column(page, 'viewing').locator(`[data-lead-id="${leads.keyboard.id}"]`).count()).toBe(0);
    const moved = await fetch(`${h.baseUrl}/leads/${leads.keyboard.id}/stage`, {
      method: 'POST',
      headers: { ...machineAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'viewing', reason: 'booked from the phone' }),
    });
    expect(moved.status).toBe(200);
    await column(page, 'viewing').locator(`[data-lead-id="${leads.keyboard.id}"]`).waitFor({ timeout: 20_000 });
    expect(await column(page, 'claimed').locator(`[data-lead-id="${leads.keyboard.id}"]`).count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { boardMarker?: string }).boardMarker)).toBe('still here');
    await page.close();
  });
});
