import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindexAllUnits } from '../../activities/inventory/unit-index.sync';
import { createVectorStack } from '../../lib/vector/vector.factory';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';
import { eventually, machineAuth, type Harness } from '../support/harness';
import { answeredLead } from '../support/lead-lookup';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// The brokers' inventory page in Chromium: search in words with filters, see why a unit
// matched, send it to a lead (the fake Meta server receives it), and find it on the lead page.

const SECRET = 'test-app-secret';
const TOKEN = 'wa-token';

describe('inventory page in Chromium', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  let stack: WebStack;
  let page: Page;
  let dir: string;
  let leadId: string;
  const waId = testWaId();
  const name = `Unit Seeker ${waId.slice(-4)}`;
  const textsTo = () => meta.requests.filter((r) => r.method === 'POST' && (r.body as { to?: string } | undefined)?.to === waId).map((r) => (r.body as { text?: { body?: string } }).text?.body ?? '');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'leadline-inventory-e2e-'));
    meta = await startFakeMetaServer({ token: TOKEN });
    // the web app runs its own API client: same database and index directory as the harness's API
    stack = await startWebStack({ env: { VECTOR_DIR: dir, WHATSAPP_APP_SECRET: SECRET, WHATSAPP_TOKEN: TOKEN, META_GRAPH_URL: meta.baseUrl, META_API_VERSION: 'v23.0' } });
    h = stack.h;
    await reindexAllUnits(h.orm.em.fork(), createVectorStack(h.env));
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text: 'Hi, I am looking for a flat', name }), { secret: SECRET })).status).toBe(200);
    ({ leadId } = await answeredLead(h.orm, waId));
    const claimed = await fetch(`${h.baseUrl}/leads/${leadId}/claim`, { method: 'POST', headers: { 'content-type': 'application/json', ...machineAuth }, body: JSON.stringify({ brokerId: 'broker-james' }) });
    expect(claimed.status).toBe(200);
    page = await stack.signedInPage('james@example.com', { viewport: { width: 1400, height: 900 } });
  });
  afterAll(async () => {
    await stack?.close();
    await meta?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('searches in words with filters, shows why each unit matched and its detail', async () => {
    await page.getByRole('link', { name: 'Inventory', exact: true }).click();
    await page.waitForURL(/\/inventory$/);
    await page.waitForLoadState('networkidle');
    await page.getByLabel('In words').fill('sea view, near the metro');
    await page.getByLabel('City').fill('Dubai');
    await page.getByLabel('Listing').selectOption('sale');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const first = page.getByTestId('inventory-result').first();
    await first.waitFor();
    expect(await first.getByTestId('match-why').innerText()).toMatch(/^Why: .*(sea view|near metro)/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('sea view, near the metro');

    await first.getByRole('link', { name: 'Details' }).click();
    const detail = page.getByTestId('unit-detail');
    await detail.waitFor();
    const unitId = await first.getAttribute('data-unit-id');
    expect(await detail.innerText()).toContain(unitId!);
    expect(await detail.innerText()).toMatch(/Features: .*(sea view|near metro)/);

    // A max price is a filter, not a lead's budget: with no lead chosen no result speaks of one.
    await page.getByLabel('Max price').fill('3000000');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/maxPrice=3000000/);
    await page.getByTestId('inventory-result').first().waitFor();
    expect(await page.getByTestId('inventory-results').innerText()).not.toMatch(/budget/i);
  });

  it('sends a unit to the lead: the fake Meta server receives it and the lead page shows it', async () => {
    const first = page.getByTestId('inventory-result').first();
    const unitId = (await first.getAttribute('data-unit-id'))!;
    await first.getByLabel(`Lead for ${unitId}`).selectOption(leadId);
    await first.getByRole('button', { name: 'Send to lead' }).click();
    const notice = page.getByTestId('send-unit-result');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/^Sent .* to the lead: sent/);
    const delivered = await eventually(async () => textsTo().find((t) => t.includes(`Ref ${unitId}`)), 'the unit at the fake Meta server');
    expect(delivered).toMatch(/^Here is a home/);

    await notice.getByRole('link', { name: 'Open the lead' }).click();
    await page.waitForURL(new RegExp(`/leads/${leadId}$`));
    await page.getByTestId('transcript').locator('.bubble.broker', { hasText: `Ref ${unitId}` }).waitFor();
    const timeline = (await (await fetch(`${h.baseUrl}/leads/${leadId}`, { headers: machineAuth })).json()) as { timeline: Array<{ type: string; meta: { unitId?: string } | null }> };
    expect(timeline.timeline.some((t) => t.type === 'unit_sent' && t.meta?.unitId === unitId)).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'inventory-sent.png'), fullPage: true });
  });

  it('sends a unit by its reference from the lead page', async () => {
    await page.waitForLoadState('networkidle');
    await page.getByLabel('Unit ref').fill('U0002');
    await page.getByRole('button', { name: 'Send to lead' }).click();
    const notice = page.getByTestId('send-unit-result');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Sent Studio apartment in Dubai Marina');
    await eventually(async () => textsTo().find((t) => t.includes('Ref U0002')), 'U0002 at the fake Meta server');
    await page.getByLabel('Unit ref').fill('U-NOPE');
    await page.getByRole('button', { name: 'Send to lead' }).click();
    await page.getByTestId('send-unit-result').getByText(/Not sent: .*not found/i).waitFor();
  });
});
