import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';

// Issue 15, point 8: the web chat reply streams visibly (words appear while it is produced),
// a reload shows the conversation the session carries on with, and the chat asks for a phone or
// e-mail before handing a lead it cannot reach to a broker.

const CONTACT_QUESTION = 'So our consultant can reach you, what is the best phone number or e-mail for you?';

describe('web chat: streaming, reload and the contact question in Chromium', () => {
  let web: WebApp;
  let browser: Browser;
  let stack: WebStack;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    stack = await startWebStack();
    ({ web, browser } = stack);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Sends a message and returns the reply's text as the page showed it, frame by frame (its lengths). */
  async function say(text: string): Promise<{ reply: string; lengths: number[] }> {
    const input = page.getByLabel('Message');
    await expect.poll(() => input.isEnabled(), { timeout: 30_000 }).toBe(true);
    const before = await page.locator('.chat-agent').count();
    // Records the newest agent bubble's length at every change the page makes to the log.
    await page.evaluate(() => {
      const w = window as unknown as { __lengths: number[]; __observer?: MutationObserver };
      w.__observer?.disconnect();
      w.__lengths = [];
      const log = document.querySelector('.chat-log')!;
      w.__observer = new MutationObserver(() => {
        const bubbles = log.querySelectorAll('.chat-agent');
        w.__lengths.push(bubbles[bubbles.length - 1]?.textContent?.length ?? 0);
      });
      w.__observer.observe(log, { subtree: true, childList: true, characterData: true });
    });
    await input.fill(text);
    await input.press('Enter');
    await expect.poll(() => page.locator('.chat-agent').count(), { timeout: 30_000 }).toBe(before + 1);
    const bubble = page.locator('.chat-agent').nth(before);
    // Done: no longer busy (typing or streaming) and not empty, read in one go so no word lands between the two.
    await expect.poll(() => bubble.evaluate((el) => el.getAttribute('aria-busy') !== 'true' && (el.textContent ?? '').length > 0), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => input.isEnabled(), { timeout: 30_000 }).toBe(true);
    const lengths = await page.evaluate(() => (window as unknown as { __lengths: number[] }).__lengths);
    return { reply: await bubble.innerText(), lengths };
  }

  it('streams the reply word by word, and asks how to reach a lead before handing it off', async () => {
    await page.goto(`${web.url}/chat`);
    const first = await say('Hi! I want to buy a 2 bed apartment in Dubai Marina, budget AED 2.5M, cash, moving next month');
    expect(first.reply).toContain(CONTACT_QUESTION);
    // Visibly streamed: the page showed the reply part-written several times before the whole of it.
    const partial = new Set(first.lengths.filter((n) => n > 0 && n < first.reply.length));
    expect(partial.size).toBeGreaterThanOrEqual(3);
    const second = await say('sure, it is hannah.k@example.com');
    expect(second.reply.length).toBeGreaterThan(5);
    expect(second.reply).not.toContain(CONTACT_QUESTION);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'webchat-streamed.png'), fullPage: true });
  });

  it('a reload shows the conversation again, on a phone too, and the chat carries on', async () => {
    const before = await page.locator('.chat-msg').allInnerTexts();
    expect(before.length).toBeGreaterThanOrEqual(5); // greeting, two messages, two replies
    await page.reload();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.chat-msg').allInnerTexts()).toEqual(before);
    expect(await page.locator('.chat-me').allInnerTexts()).toEqual([
      'Hi! I want to buy a 2 bed apartment in Dubai Marina, budget AED 2.5M, cash, moving next month',
      'sure, it is hannah.k@example.com',
    ]);

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${web.url}/chat`);
    await phone.waitForLoadState('networkidle');
    expect(await phone.locator('.chat-msg').allInnerTexts()).toEqual(before);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: path.join(SCREENSHOTS_DIR, 'webchat-reloaded-phone.png'), fullPage: true });
    await phone.close();

    const third = await say('Do you have anything with a sea view?');
    expect(third.reply.length).toBeGreaterThan(5);
    expect(await page.locator('.chat-me').count()).toBe(3);
  });
});
