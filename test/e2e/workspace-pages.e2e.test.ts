import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Harness } from '../support/harness';
import { answeredLead } from '../support/lead-lookup';
import { type WebApp } from '../support/web-app';
import { SCREENSHOTS_DIR, startWebStack, type WebStack } from '../support/web-stack';
import { webSignIn } from '../support/sign-in';
import { postWebhook, testWaId, waTextPayload } from '../support/whatsapp.payloads';

// Every page of the workspace, as a phone and as a desktop sees it: no sideways scrolling at
// 390×844, no serious or critical axe violation, and a title, error pages included.

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

interface PageCase {
  name: string;
  path: () => string;
  /** Who looks at it; null: signed out. */
  as: string | null;
  /** What shows the page is ready (its own content, not a spinner). */
  ready: (page: Page) => Promise<unknown>;
  status?: number;
}

describe('workspace pages on a phone and for assistive technology', () => {
  let h: Harness;
  let web: WebApp;
  let browser: Browser;
  let stack: WebStack;
  let leadId = '';

  const cases: PageCase[] = [
    { name: 'login', path: () => '/login', as: null, ready: (p) => p.getByRole('button', { name: 'Sign in' }).waitFor() },
    { name: 'inbox', path: () => '/leads', as: 'manager@example.com', ready: (p) => p.locator('table.inbox').waitFor() },
    { name: 'lead', path: () => `/leads/${leadId}`, as: 'manager@example.com', ready: (p) => p.getByTestId('transcript').waitFor() },
    { name: 'pipeline', path: () => '/pipeline', as: 'manager@example.com', ready: (p) => p.locator('.board').waitFor() },
    { name: 'inventory', path: () => '/inventory?q=sea+view', as: 'manager@example.com', ready: (p) => p.locator('h1').waitFor() },
    { name: 'analytics', path: () => '/analytics', as: 'manager@example.com', ready: (p) => p.locator('h1').waitFor() },
    { name: 'settings', path: () => '/settings', as: 'james@example.com', ready: (p) => p.locator('h1').waitFor() },
    { name: 'admin-users', path: () => '/admin/users', as: 'admin@example.com', ready: (p) => p.locator('h1').waitFor() },
    { name: 'chat', path: () => '/chat', as: null, ready: (p) => p.getByRole('textbox', { name: 'Message' }).waitFor() },
    { name: 'error', path: () => '/leads/00000000-0000-4000-8000-000000000000', as: 'manager@example.com', ready: (p) => p.getByRole('alert').waitFor(), status: 404 },
  ];

  // One sign-in per user for the whole file (its session cookie reused), not one per page: the
  // pages are under test here, the sign-in has tests of its own.
  const sessions = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();
  async function sessionOf(email: string) {
    let state = sessions.get(email);
    if (!state) {
      const context = await browser.newContext();
      await webSignIn(await context.newPage(), web.url, email);
      state = await context.storageState();
      await context.close();
      sessions.set(email, state);
    }
    return state;
  }

  async function open(c: PageCase, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, ...(c.as && { storageState: await sessionOf(c.as) }) });
    const page = await context.newPage();
    const res = await page.goto(`${web.url}${c.path()}`);
    expect(res?.status(), c.name).toBe(c.status ?? 200);
    await c.ready(page);
    return page;
  }

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web, browser } = stack);
    // A lead with a conversation, a long unbroken word and right-to-left text: what stretches pages.
    const waId = testWaId();
    const text = `مرحبا، أريد شقة في دبي مارينا ${'https://example.com/listing/'.padEnd(120, 'x')} 2 bedrooms up to 2.5M cash`;
    expect((await postWebhook(h.baseUrl, waTextPayload({ waId, text, name: 'Phone Layout Tester' }))).status).toBe(200);
    ({ leadId } = await answeredLead(h.orm, waId));
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Each page once per size: its title, its width (on a phone) and axe's serious and critical findings. */
  async function survey(viewport: { width: number; height: number }) {
    const titles: Record<string, string> = {};
    const overflowing: string[] = [];
    const violations: string[] = [];
    for (const c of cases) {
      const page = await open(c, viewport);
      titles[c.name] = await page.title();
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      if (scrollWidth > innerWidth) overflowing.push(`${c.name}: ${scrollWidth}px > ${innerWidth}px`);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        violations.push(`${c.name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${viewport.width}-${c.name}.png`), fullPage: true });
      await page.context().close();
    }
    return { titles, overflowing, violations };
  }

  it('on a phone (390×844): no page scrolls sideways, axe finds nothing serious, every page has a title', async () => {
    const { titles, overflowing, violations } = await survey(PHONE);
    expect(overflowing).toEqual([]);
    expect(violations).toEqual([]);
    for (const [name, title] of Object.entries(titles)) expect(title, name).toMatch(/\S.* · Leadline$/);
  });

  it('on a desktop: axe finds nothing serious and every page has a title, error pages included', async () => {
    const { titles, violations } = await survey(DESKTOP);
    expect(violations).toEqual([]);
    for (const [name, title] of Object.entries(titles)) expect(title, name).toMatch(/\S.* · Leadline$/);
    expect(titles.error).toBe('Not found · Leadline');
  });
});
