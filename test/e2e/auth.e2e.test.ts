import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { machineAuth, type Harness } from '../support/harness';
import { type WebApp } from '../support/web-app';
import { startWebStack, type WebStack } from '../support/web-stack';
import { startLead } from '../integration/lead-support';

// The web app as an attacker and as a broker see it: the production build, signed-in only,
// forms only from its own pages, and a named person behind every action.

interface BuiltRoute {
  id: string;
  path?: string;
  index?: boolean;
  parentId?: string;
  module: { default?: unknown; loader?: unknown; action?: unknown };
}

const PUBLIC = [/^\/login$/, /^\/logout$/, /^\/forgot-password$/, /^\/set-password\//, /^\/chat(\/|$)/];

describe('web app sign-in, CSRF and headers (Chromium, production build)', () => {
  let h: Harness;
  let web: WebApp;
  let browser: Browser;
  let stack: WebStack;
  let routes: Array<{ path: string; page: boolean; action: boolean }>;

  const stageOf = async (leadId: string) =>
    (await h.orm.em.fork().getConnection().execute<{ status: string; owner_id: string | null }[]>('select status, owner_id from leads where id = ?', [leadId]))[0]!;

  beforeAll(async () => {
    stack = await startWebStack();
    ({ h, web, browser } = stack);
    const build = (await import(pathToFileURL(path.join(web.buildDir, 'server', 'index.js')).href)) as { routes: Record<string, BuiltRoute> };
    const fullPath = (r: BuiltRoute): string => {
      const parent = r.parentId ? build.routes[r.parentId] : undefined;
      const base = parent ? fullPath(parent) : '';
      return r.path ? `${base.replace(/\/$/, '')}/${r.path}` : base || '/';
    };
    routes = Object.values(build.routes)
      .filter((r) => r.id !== 'root')
      .map((r) => ({ path: fullPath(r), page: Boolean(r.module.default || r.module.loader), action: Boolean(r.module.action) }));
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('walks the route table: every broker page sends an anonymous visitor to /login and every action refuses them', async () => {
    const closed = routes.filter((r) => !PUBLIC.some((re) => re.test(r.path)));
    expect(closed.map((r) => r.path)).toEqual(expect.arrayContaining(['/', '/leads', '/leads/:leadId', '/pipeline', '/admin/users']));
    const concrete = (p: string) => p.replace(':leadId', '00000000-0000-4000-8000-000000000000');
    for (const r of closed) {
      const res = await fetch(`${web.url}${concrete(r.path)}`, { redirect: 'manual' });
      expect(res.status, r.path).toBe(302);
      expect(res.headers.get('location'), r.path).toMatch(/^\/login/);
      if (r.action) {
        const post = await fetch(`${web.url}${concrete(r.path)}`, { method: 'POST', redirect: 'manual', headers: { origin: web.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=release' });
        expect(post.status, `POST ${r.path}`).toBe(302);
        expect(post.headers.get('location')).toMatch(/^\/login/);
      }
    }
    // React Router's data requests are closed the same way.
    const data = await fetch(`${web.url}/leads.data`, { redirect: 'manual' });
    expect(await data.text()).not.toContain('contact');
  });

  it('the attacker curl lines read and change nothing', async () => {
    const lead = await startLead(h);
    const before = await stageOf(lead.leadId);
    // curl -X POST http://WEB/leads/<id> --data 'intent=move-stage&stage=lost&reason=x' (no Origin, no session)
    const forged = await fetch(`${web.url}/leads/${lead.leadId}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=move-stage&stage=lost&reason=x' });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'cross_site_request' } });
    // The same with a forged Origin: no session, so no action.
    const withOrigin = await fetch(`${web.url}/leads/${lead.leadId}`, { method: 'POST', redirect: 'manual', headers: { origin: web.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=claim&brokerId=broker-james' });
    expect(withOrigin.status).toBe(302);
    const read = await fetch(`${web.url}/leads`, { redirect: 'manual' });
    expect(read.status).toBe(302);
    expect(await read.text()).not.toContain(lead.leadId);
    // Straight at the API, without a session or the machine token.
    expect((await fetch(`${h.baseUrl}/leads`)).status).toBe(401);
    expect((await fetch(`${h.baseUrl}/leads/${lead.leadId}/stage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stage":"lost","reason":"x"}' })).status).toBe(401);
    expect(await stageOf(lead.leadId)).toEqual(before);
  });

  it('a broker signs in, claims a lead for themselves, messages it, and the lead page names them; signing out closes the pages again', async () => {
    const lead = await startLead(h);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${web.url}/leads/${lead.leadId}`);
    await page.waitForURL(/\/login\?redirectTo=/);
    await page.getByLabel('E-mail').fill('james@example.com');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByTestId('login-error').innerText()).toContain('Wrong e-mail address or password');
    await page.getByLabel('Password').fill('leadline-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`/leads/${lead.leadId}$`));

    // The session cookie: httpOnly (scripts never see it), SameSite=Lax, Secure in production.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'leadline_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true });
    expect(await page.evaluate(() => document.cookie)).not.toContain('leadline_session');
    expect(await page.getByTestId('signed-in-as').innerText()).toContain('James Okafor');

    // The document's CSP: scripts by nonce; the page hydrated under it (the forms below go through the router).
    const doc = await page.request.get(`${web.url}/leads/${lead.leadId}`);
    expect(doc.headers()['content-security-policy']).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(doc.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(doc.headers()['x-frame-options']).toBe('DENY');
    expect(doc.headers()['strict-transport-security']).toContain('max-age=');
    await page.waitForLoadState('networkidle');

    // "Claim for me": no way to claim as somebody else, and no "By" picker.
    expect(await page.getByLabel('Claim as').count()).toBe(0);
    expect(await page.getByLabel('By').count()).toBe(0);
    await page.getByRole('button', { name: 'Claim for me' }).click();
    await page.getByTestId('owner').getByText('James Okafor').waitFor();
    const text = `Hello, this is James (${lead.leadId.slice(0, 4)})`;
    await page.getByLabel('Message the lead').fill(text);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('transcript').locator('.bubble.broker', { hasText: text }).waitFor();
    const history = page.getByTestId('history');
    await history.getByText('sent a message').waitFor();
    expect(await history.innerText()).toMatch(/James Okafor \(broker\) claimed the lead for James Okafor/);
    expect(await history.innerText()).toContain('James Okafor (broker) sent a message');

    const view = (await (await fetch(`${h.baseUrl}/leads/${lead.leadId}`, { headers: machineAuth })).json()) as { workflow: { state: { ownerId: string } } };
    expect(view.workflow.state.ownerId).toBe('broker-james');
    expect(cspErrors).toEqual([]);

    // A cross-site form post with James's cookie is refused (and changes nothing).
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    // (React Router's own origin check answers a foreign Origin with 400 before ours would with 403.)
    const forged = await fetch(`${web.url}/leads/${lead.leadId}`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=release' });
    expect([400, 403]).toContain(forged.status);
    const noOrigin = await fetch(`${web.url}/leads/${lead.leadId}`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=release' });
    expect(noOrigin.status).toBe(403);
    expect((await stageOf(lead.leadId)).owner_id).toBe('broker-james');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${web.url}/leads`);
    await page.waitForURL(/\/login\?redirectTo=%2Fleads/);
    // The old cookie value no longer opens anything, even replayed by hand.
    const replay = await fetch(`${web.url}/leads`, { redirect: 'manual', headers: { cookie: cookies } });
    expect(replay.status).toBe(302);
    await page.close();
  });

  it('a broker cannot open or act on another broker’s lead through the web app either', async () => {
    const lead = await startLead(h);
    expect((await fetch(`${h.baseUrl}/leads/${lead.leadId}/claim`, { method: 'POST', headers: { ...machineAuth, 'content-type': 'application/json' }, body: '{"brokerId":"broker-james"}' })).status).toBe(200);
    const page = await stack.signedInPage('priya@example.com');
    const res = await page.goto(`${web.url}/leads/${lead.leadId}`);
    expect(res?.status()).toBe(403);
    const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = await fetch(`${web.url}/leads/${lead.leadId}`, { method: 'POST', headers: { cookie: cookies, origin: web.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=move-stage&stage=lost&reason=mine' });
    expect(post.status).toBe(403);
    expect((await stageOf(lead.leadId)).status).not.toBe('lost');
    // Brokers do not get the admin page.
    expect((await page.goto(`${web.url}/admin/users`))?.status()).toBe(403);
    await page.close();
  });
});
