import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { eventually, machineAuth, type Harness } from '../support/harness';
import { answeredLead } from '../support/lead-lookup';
import { webSignIn } from '../support/sign-in';
import { dragUntilPosted } from '../support/browser';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

interface LeadView {
  lead: { stage: string; ownerId: string | null };
  workflow: { state: { stage: string; ownerId: string | null; tasks: Array<{ title: string; assignee: string | null; completedAt: string | null }>; transcript: Array<{ from: string; text: string }> } | null };
}

/** `<input type="datetime-local">` wants local wall-clock time; the browser runs on this machine's zone. */
function localDateTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

describe('broker actions in Chromium: lead detail commands and the pipeline board', () => {
  let h: Harness;
  let web: WebApp;
  let browser: Browser;
  let stack: WebStack;
  let page: Page;
  let leadId: string;
  const waId = testWaId();
  const name = `Action Tester ${waId.slice(-4)}`;

  const apiLead = async () => (await (await fetch(`${h.baseUrl}/leads/${leadId}`, { headers: machineAuth })).json()) as LeadView;
  const dbStage = async () =>
    (await h.orm.em.fork().getConnection().execute<{ status: string }[]>(`select status from leads where id = ?`, [leadId]))[0]?.status;

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web, browser } = stack);
    // A vague first message: the agent answers and asks, but the lead does not qualify (no handoff races the claim).
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, I am looking for a flat', name }))).status).toBe(200);
    ({ leadId } = await answeredLead(h.orm, waId));
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A manager: assigns the lead to a broker, then works it as the owner's supervisor.
    await webSignIn(page, web.url, 'manager@example.com');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('assigns the lead to a seeded broker and shows the new owner', async () => {
    await page.goto(`${web.url}/leads/${leadId}`);
    // Interact once the page is hydrated, so the forms submit through the router (a full-page post works too).
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('owner').innerText()).toContain('AI agent');
    await page.getByLabel('Assign to').selectOption('broker-amina');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByTestId('owner').getByText('Amina Haddad').waitFor();
    expect(await page.getByTestId('owner').innerText()).toContain('broker-amina');
    const view = await apiLead();
    expect(view.workflow.state?.ownerId).toBe('broker-amina');
    expect(view.workflow.state?.stage).toBe('claimed');
  });

  it('adds a task, keeps what was typed when the workflow refuses one, and completes it', async () => {
    // Due in the past: the workflow's validator refuses it and the form keeps the typed title.
    await page.getByLabel('New task').fill('Backdated call');
    await page.getByLabel('Due').fill(localDateTime(new Date(Date.now() - 3_600_000)));
    await page.getByRole('button', { name: 'Add task' }).click();
    const refused = page.getByTestId('add-task-error');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('A task must be due in the future');
    expect(await page.getByLabel('New task').inputValue()).toBe('Backdated call');

    const title = 'Call back about a Marina viewing';
    await page.getByLabel('New task').fill(title);
    await page.getByLabel('Due').fill(localDateTime(new Date(Date.now() + 26 * 3_600_000)));
    await page.getByLabel('Assignee').selectOption('broker-amina');
    await page.getByRole('button', { name: 'Add task' }).click();
    const row = page.getByTestId('tasks').locator('tr', { hasText: title });
    await row.waitFor();
    expect(await row.innerText()).toContain('Amina Haddad');
    expect(await page.getByLabel('New task').inputValue()).toBe('');
    const task = (await apiLead()).workflow.state?.tasks.find((t) => t.title === title);
    expect(task).toMatchObject({ assignee: 'broker-amina', completedAt: null });

    await row.getByRole('button', { name: `Complete ${title}` }).click();
    await row.getByText('done', { exact: true }).waitFor();
    expect((await apiLead()).workflow.state?.tasks.find((t) => t.title === title)?.completedAt).not.toBeNull();
  });

  it("sends a broker message that shows in the transcript", async () => {
    const text = `Hello ${name}, this is Amina. When can you talk?`;
    await page.getByLabel('Message the lead').fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('transcript').locator('.bubble.broker', { hasText: text }).waitFor();
    expect((await apiLead()).workflow.state?.transcript.some((m) => m.from === 'broker' && m.text === text)).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'lead-actions.png'), fullPage: true });
  });

  it('moves the lead on the pipeline board with "Move to…", and a refused drag snaps back with the reason', async () => {
    // The list is a projection written just after the update: wait until it shows the claim.
    await eventually(async () => ((await dbStage()) === 'claimed' ? true : undefined), 'the claim in the read model');
    // Wide enough for the columns this drag uses (new … viewing), so it needs no sideways scrolling.
    await page.setViewportSize({ width: 1920, height: 1000 });
    await page.getByRole('link', { name: 'Pipeline' }).click();
    await page.waitForURL(/\/pipeline$/);
    await page.waitForLoadState('networkidle');
    const card = page.locator(`[data-testid="pipeline-card"][data-lead-id="${leadId}"]`);
    const column = (stage: string) => page.locator(`section.column[data-stage="${stage}"]`);
    await column('claimed').locator(`[data-lead-id="${leadId}"]`).waitFor();
    expect(await card.getByTestId('card-owner').innerText()).toBe('Amina Haddad');
    expect(await card.innerText()).toContain(name);

    await card.getByLabel(`Move ${name} to`).selectOption('viewing');
    await card.getByRole('button', { name: `Move ${name}`, exact: true }).click();
    await column('viewing').locator(`[data-lead-id="${leadId}"]`).waitFor();
    await eventually(async () => ((await dbStage()) === 'viewing' ? true : undefined), 'the new stage in the database');
    const view = await apiLead();
    expect(view.workflow.state?.stage).toBe('viewing');
    expect(view.lead.stage).toBe('viewing');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'pipeline.png'), fullPage: true });

    // viewing → new is not a manual move: the workflow refuses and the card goes back. First let
    // the move above settle (its fetcher idle, the board revalidated): a drag that starts while
    // the board re-renders loses its card and no drop comes (a loaded CI run, three drags in a row).
    await page.locator(`[data-testid="pipeline-card"][data-lead-id="${leadId}"]:not(.is-moving)`).waitFor();
    await page.waitForLoadState('networkidle');
    await dragUntilPosted(page, () => card.dragTo(column('new')), '/pipeline');
    // The refusal is at the card, in plain language, with the workflow's reason after it.
    const error = card.getByTestId('card-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('The lead cannot move there from its current stage.');
    expect(await error.innerText()).toContain('cannot move to new');
    expect(await error.getAttribute('data-code')).toBe('invalid_transition');
    await column('viewing').locator(`[data-lead-id="${leadId}"]`).waitFor();
    expect(await column('new').locator(`[data-lead-id="${leadId}"]`).count()).toBe(0);
    expect((await apiLead()).workflow.state?.stage).toBe('viewing');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'pipeline-rejected.png'), fullPage: true });
  });
});
