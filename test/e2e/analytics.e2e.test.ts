import { randomBytes, randomUUID } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { webSignIn } from '../support/sign-in';
import { startWebApp, type WebApp } from '../support/web-app';

// The analytics page in Chromium: a manager picks a range and sees the funnel, the tables and
// the charts and the replies per nudge, on a phone without sideways scrolling, and downloads the CSV; a broker is refused.
// Three leads are written straight into the read model on a random day long ago, so that the
// page's numbers are these leads only.

describe('analytics page in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let browser: Browser;
  const day = new Date(Date.UTC(1990, 0, 1) + (randomBytes(2).readUInt16BE() % 9_800) * 86_400_000).toISOString().slice(0, 10);
  const tag = `ane2e${randomBytes(4).toString('hex')}`;
  const leadIds: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const conn = h.orm.em.fork().getConnection();
    for (const [i, l] of [
      { channel: 'whatsapp', status: 'engaged', score: 30, nudges: { '1': { sent: 1, replied: 1 } } },
      { channel: 'whatsapp', status: 'qualified', score: 75, nudges: { '1': { sent: 1, replied: 0 }, '2': { sent: 1, replied: 0 } } },
      { channel: 'leadads', status: 'new', score: null, nudges: null },
    ].entries()) {
      const contactId = randomUUID();
      const leadId = randomUUID();
      leadIds.push(leadId);
      await conn.execute(`insert into contacts (id, name, market, created_at, updated_at) values (?, ?, 'AE', now(), now())`, [contactId, `${tag} ${i}`]);
      await conn.execute(
        `insert into leads (id, contact_id, channel, status, score, qualified, workflow_id, market, source, nudge_stats, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, 'AE', ?, ?, ?, now())`,
        [
          leadId,
          contactId,
          l.channel,
          l.status,
          l.score,
          (l.score ?? 0) >= 60,
          `lead-${leadId}`,
          JSON.stringify({ source: l.channel === 'leadads' ? 'leadads' : 'organic', campaign_id: l.channel === 'leadads' ? tag : undefined }),
          l.nudges && JSON.stringify(l.nudges),
          new Date(`${day}T12:00:0${i}Z`),
        ],
      );
    }
    web = await startWebApp(h.baseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    if (h && leadIds.length) {
      const conn = h.orm.em.fork().getConnection();
      await conn.execute(`delete from leads where id in (${leadIds.map(() => '?').join(',')})`, leadIds);
      await conn.execute(`delete from contacts where name like ?`, [`${tag} %`]);
    }
    await h?.close();
  });

  it('a manager sees the funnel for a range, on a phone without sideways scrolling, and downloads the CSV', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await webSignIn(page, web.url, 'manager@example.com');
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.waitForURL(/\/analytics$/);
    await page.getByLabel('From').fill(day);
    await page.getByLabel('To').fill(day);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((u) => u.searchParams.get('from') === day);
    // The URL changes before the render of the new range (a loaded CI run still showed the
    // default range a second later), so the total is awaited as long as the other e2e polls.
    await expect.poll(() => page.getByTestId('analytics-total').textContent(), { timeout: 20_000 }).toContain('3 leads');
    expect(await page.title()).toBe('Analytics · Leadline');
    const funnel = await page.getByTestId('funnel').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(funnel.slice(0, 3)).toEqual([
      ['new', '3', '—'],
      ['engaged', '2', '66.7%'],
      ['qualified', '1', '50%'],
    ]);
    expect(await page.getByTestId('breakdown').textContent()).toContain(tag);
    const followUps = await page.getByTestId('follow-ups').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(followUps).toEqual([
      ['#1', '2', '1', '50%'],
      ['#2', '1', '0', '0%'],
    ]);
    // The charts drew their bars (recharts measured the box in the browser).
    await page.getByTestId('funnel-chart').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.getByTestId('score-chart').locator('svg').count()).toBeGreaterThan(0);
    // On a phone: nothing scrolls sideways, the charts included.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId('funnel-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    const href = await page.getByTestId('analytics-csv').getAttribute('href');
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const csv = await fetch(`${web.url}${href}`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).split('\r\n');
    expect(lines).toContain('funnel,stage,new,count,3');
    expect(lines).toContain(`breakdown,campaign,${tag},leads,1`);
    expect(lines).toContain('followUps,nudgeStep,1,replyRate,0.5');
    await context.close();
  });

  it('a broker gets no link and a 403 page', async () => {
    const page = await browser.newPage();
    await webSignIn(page, web.url, 'james@example.com');
    expect(await page.getByRole('link', { name: 'Analytics' }).count()).toBe(0);
    const res = await page.goto(`${web.url}/analytics?from=${day}&to=${day}`);
    expect(res?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not allowed');
    expect((await page.goto(`${web.url}/analytics/csv?from=${day}&to=${day}`))?.status()).toBe(403);
    await page.close();
  });
});
