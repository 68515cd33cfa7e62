import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeLeadEvent, leadEventsChannel } from '../../lib/lead-events.channel';
import { eventually, type Harness } from '../support/harness';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { seedInboxLead } from '../support/inbox-leads';

// The in-app alert (#15 point 6) in Chromium: a handoff offered to the signed-in broker shows a
// toast without a reload, on whatever page they are; an offer to someone else does not. And
// each user's e-mail choices on /settings.

describe('offer toast (Chromium)', () => {
  let h: Harness;
  let web: WebApp;
  let stack: WebStack;
  const tag = `toast${randomBytes(3).toString('hex')}`;

  /** What the worker's handoff step publishes for an offer (activities/lifecycle.activities.ts). */
  const offer = (leadId: string, brokerId: string) =>
    h.redis.publish(
      leadEventsChannel(leadId),
      encodeLeadEvent({ type: 'handoff', leadId, body: `Handed to ${brokerId} (qualified)`, brokerId, idempotencyKey: `e2e:${leadId}:${brokerId}`, meta: { reason: 'qualified', slaDueAt: new Date(Date.now() + 600_000).toISOString(), attempt: 1, escalations: 0 } }),
    );

  beforeAll(async () => {
    stack = await startWebStack({ worker: false });
    ({ h, web } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('shows a toast for a lead offered to me, and none for an offer to another broker', async () => {
    const mine = await seedInboxLead(h.orm, tag, 'Mine', { score: 88, stage: 'handoff', createdMin: 2 });
    const theirs = await seedInboxLead(h.orm, tag, 'Theirs', { score: 90, stage: 'handoff', createdMin: 2 });
    const later = await seedInboxLead(h.orm, tag, 'Later', { score: 70, stage: 'handoff', createdMin: 1 });
    const page = await stack.signedInPage('james@example.com', { viewport: { width: 1440, height: 900 } });
    await page.goto(`${web.url}/pipeline`);
    const toast = (leadId: string) => page.locator(`[data-testid="offer-toast"][data-lead-id="${leadId}"]`);

    // The toast's stream connects after the page loads: offer until it shows (the UI dedupes repeats).
    await eventually(async () => {
      await offer(mine, 'broker-james');
      return (await toast(mine).count()) > 0 ? true : undefined;
    }, 'the toast for the lead offered to me', 20_000);
    expect(await toast(mine).innerText()).toContain('New lead offered to you');
    expect(await toast(mine).getByRole('link', { name: 'Open the lead' }).getAttribute('href')).toBe(`/leads/${mine}`);
    expect(await page.locator('[data-testid="offer-toast"]').count()).toBe(1);

    // The stream is live now: an offer to Priya, then one more to me; only mine shows.
    await offer(theirs, 'broker-priya');
    await offer(later, 'broker-james');
    await toast(later).waitFor({ timeout: 15_000 });
    expect(await toast(theirs).count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'offer-toast.png'), fullPage: false });

    // Dismissed, it goes; the page never reloaded (the pipeline is still the page).
    await toast(mine).getByRole('button', { name: 'Dismiss' }).click();
    expect(await toast(mine).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/pipeline');
    await page.context().close();
  });

  it('saves alert e-mail preferences on /settings, and they hold after a reload', async () => {
    // The admin: no alert e-mail goes to admins, so parallel mail tests never see this change.
    const page = await stack.signedInPage('admin@example.com', { viewport: { width: 390, height: 844 } });
    await page.goto(`${web.url}/settings`);
    expect(await page.title()).toBe('Settings · Leadline');
    const escalations = page.getByLabel('E-mail me about missed claims and leads in the unclaimed pool (managers)');
    const digest = page.getByLabel('E-mail me a daily digest of SLA misses (claims missed, leads sent to the pool)');
    try {
      expect(await escalations.isChecked()).toBe(true);
      expect(await digest.isChecked()).toBe(true);
      await escalations.uncheck();
      await digest.uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('settings-result').getByText('Saved').waitFor();
      await page.reload();
      expect(await escalations.isChecked()).toBe(false);
      expect(await digest.isChecked()).toBe(false);
      expect(await page.getByLabel('E-mail me when a lead is offered to me').isChecked()).toBe(true);
      const row = await h.orm.em.fork().getConnection().execute<Array<{ email_escalations: boolean; email_digest: boolean }>>(`select email_escalations, email_digest from users where email = 'admin@example.com'`);
      expect(row[0]).toEqual({ email_escalations: false, email_digest: false });
      // Usable on a phone: no horizontal scroll.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    } finally {
      await h.orm.em.fork().getConnection().execute(`update users set email_escalations = true, email_digest = true where email = 'admin@example.com'`);
      await page.context().close();
    }
  });
});
