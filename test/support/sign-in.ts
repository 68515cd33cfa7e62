import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/seeders/demo-users.seeder';

/** Signs in through the API's door (as the web server does) and returns the session header. */
export async function apiSession(baseUrl: string, email: string, password = DEMO_PASSWORD, extraHeaders: Record<string, string> = {}): Promise<Record<string, string>> {
  const res = await fetch(`${baseUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...extraHeaders }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Session ${token}` };
}

/** Signs in through the web app's form, as a person would. */
export async function webSignIn(page: Page, webUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${webUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
