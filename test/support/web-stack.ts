import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { dataDir } from '../../lib/paths';
import { launchBrowser } from './browser';
import { startHarness, type Harness } from './harness';
import { webSignIn } from './sign-in';
import { startWebApp, type WebApp } from './web-app';

/** Where e2e tests leave screenshots for a person to look at after a run. */
export const SCREENSHOTS_DIR = path.join(dataDir, 'test', 'screenshots');

export interface WebStack {
  h: Harness;
  web: WebApp;
  browser: Browser;
  /** A page in its own browser context (its own cookies), signed in through the web form as `email`. */
  signedInPage(email: string, options?: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * What every e2e file needs: the API harness, the production web app against it and Chromium.
 * Whatever did start is stopped again when a later step fails, so a broken build leaves no
 * API server or database connection behind for the rest of the run.
 */
export async function startWebStack(options: Parameters<typeof startHarness>[0] = {}): Promise<WebStack> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  let h: Harness | undefined;
  let web: WebApp | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await web?.stop();
    await h?.close();
  };
  try {
    h = await startHarness(options);
    web = await startWebApp(h.baseUrl);
    browser = await launchBrowser();
  } catch (err) {
    await close();
    throw err;
  }
  const started = { h, web, browser };
  return {
    ...started,
    async signedInPage(email, { viewport, javaScriptEnabled = true } = {}) {
      const context = await started.browser.newContext({ ...(viewport ? { viewport } : {}), javaScriptEnabled });
      const page = await context.newPage();
      await webSignIn(page, started.web.url, email);
      return page;
    },
    close,
  };
}
