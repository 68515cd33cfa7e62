import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's Chromium, never a downloaded browser. Flags keep it off the (closed) network.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`make tools\` (installs Debian's chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A native drag that ends in a move request. On a loaded machine a synthetic drag has ended
 * without a drop (CI runs where a refusal never showed because no move was sent); then the
 * drag is made again, at most three times. What the move does is for the caller to assert.
 */
export async function dragUntilPosted(page: Page, drag: () => Promise<void>, path: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const posted = page
      .waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname.startsWith(path), { timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    await drag();
    if (await posted) return;
    if (attempt === 3) throw new Error(`three drags to ${path} sent no move`);
  }
}
