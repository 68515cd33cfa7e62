import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { eventually, type Harness } from '../support/harness';
import { postUnboundedBodies, type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';

describe('public web chat page in Chromium', () => {
  let h: Harness;
  let web: WebApp;
  let browser: Browser;
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web, browser } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('starts a session, streams the agent reply into the page and records the lead', async () => {
    const page = await browser.newPage();
    await page.goto(`${web.url}/chat`);
    // A public page: the broker navigation is not there.
    expect(await page.locator('nav.nav').count()).toBe(0);
    const input = page.getByLabel('Message');
    // The page creates its session on load; the input is enabled once the session cookie is seen.
    await expect.poll(() => input.isEnabled(), { timeout: 30_000 }).toBe(true);
    const text = 'Hi, I want to buy a 3 bed villa in Arabian Ranches, budget 4.5M, cash';
    await input.fill(text);
    await input.press('Enter');
    const agentBubbles = page.locator('.chat-agent');
    // The greeting is the first agent bubble; the streamed reply is the second. The input is
    // enabled again once the stream has closed.
    await expect.poll(async () => ((await agentBubbles.count()) >= 2 ? agentBubbles.nth(1).innerText() : ''), { timeout: 30_000 }).toMatch(/Arabian Ranches/);
    await expect.poll(() => input.isEnabled(), { timeout: 30_000 }).toBe(true);
    const reply = await agentBubbles.nth(1).innerText();
    expect(reply).toMatch(/3-bed villa/);
    expect(reply).not.toContain('*');
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'webchat.png'), fullPage: true });

    const stored = await eventually(async () => {
      const rows = await h.orm.em.fork().getConnection().execute<{ body: string; direction: string }[]>(
        `select a.body, a.direction from timeline_entries a join leads l on l.id = a.lead_id where l.channel = 'web' and a.type = 'message' and a.lead_id in
           (select lead_id from timeline_entries where body = ?) order by a.created_at`,
        [text],
      );
      return rows.length >= 2 ? rows : undefined;
    }, 'the web chat lead in the timeline');
    expect(stored.map((r) => r.direction)).toEqual(['in', 'out']);
    expect(stored[1]!.body).toContain('Arabian Ranches');
    await page.close();
  });

  it('the web server refuses a body over its limit, or without a length, before reading it', async () => {
    // 300 MB announced, a few bytes sent: the answer comes at once and the connection closes.
    const { oversized, chunkedStatus } = await postUnboundedBodies(web.url);
    expect(oversized.status).toBe(413);
    expect(JSON.parse(oversized.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(chunkedStatus).toBe(411);
  });
});
