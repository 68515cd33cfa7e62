import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import { createApp } from '../../api/app';
import { createMailer } from '../../lib/mailer';
import { startHarness, machineAuth, type Harness } from '../support/harness';
import { startMailServer, type MailServer } from '../support/mail-server';
import { apiSession } from '../support/sign-in';
import { startLead } from './lead-support';

// Sign-in, sessions and roles as the API enforces them, against the real Postgres, Redis,
// Temporal and a local SMTP server (maildev) that catches the invitation and reset e-mails.

const PUBLIC = [/^\/healthz$/, /^\/metrics$/, /^\/openapi\.json$/, /^\/webhooks\//, /^\/agent\//, /^\/auth\/login$/, /^\/auth\/password-reset$/, /^\/auth\/password(\/|$)/];

type Json = Record<string, unknown> & { error?: { code: string; message: string; details: unknown } };

describe('sign-in, sessions and roles (API)', () => {
  let h: Harness;
  let mail: MailServer;
  let james: Record<string, string>;
  let priya: Record<string, string>;
  let manager: Record<string, string>;
  let admin: Record<string, string>;

  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : {}) as Json };
  };
  /** A client address of its own (TRUST_PROXY is on here), so rate limits in one test never hit another. */
  const fromAddress = () => ({ 'x-forwarded-for': `203.0.113.${1 + Math.floor(Math.random() * 250)}, 10.0.0.${Math.floor(Math.random() * 250)}` });

  beforeAll(async () => {
    mail = await startMailServer();
    h = await startHarness({ env: { SMTP_URL: mail.smtpUrl, TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '6', WEB_URL: 'http://web.example.test' } });
    const session = (n: string) => apiSession(h.baseUrl, `${n}@example.com`, undefined, fromAddress());
    james = await session('james');
    priya = await session('priya');
    manager = await session('manager');
    admin = await session('admin');
  });
  afterAll(async () => {
    await h?.close();
    await mail?.stop();
  });

  it('walks the route table: every route that is not public answers 401 in the envelope without a session or token', async () => {
    const app = createApp({ env: h.env, orm: h.orm, redis: h.redis, temporal: h.temporal, logger: h.logger, mailer: createMailer(mail.smtpUrl, 'x@example.com') });
    const routes = app.middleware
      .map((m) => (m as { router?: Router }).router)
      .filter((r): r is Router => r !== undefined)
      .flatMap((r) => r.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(layer.path) }))));
    // A CORS preflight carries no credentials by design (the codec endpoint's); what it guards is the POST after it.
    const closed = routes.filter((r) => !PUBLIC.some((re) => re.test(r.path)) && r.method !== 'OPTIONS' && !(r.method === 'GET' && r.path === '/codec/session'));
    // (GET /codec/session is the page where ops paste the codec token; the POST it sends is checked.)
    // The table really is the app's: the broker and admin routes are all in it.
    for (const p of ['/codec/decode', '/codec/encode', '/leads', '/leads/:id', '/leads/:id/claim', '/leads/:id/messages', '/brokers', '/inventory', '/users', '/users/invitations', '/auth/me', '/auth/logout']) {
      expect(closed.map((r) => r.path)).toContain(p);
    }
    const concrete = (path: string) => path.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':taskId', 'task-1');
    for (const r of closed) {
      for (const headers of [{} as Record<string, string>, { authorization: `Session ${randomBytes(32).toString('base64url')}` }, { authorization: 'Bearer not-the-token-at-all' }]) {
        const res = await call(r.method, concrete(r.path), headers, r.method === 'GET' ? undefined : {});
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
        expect(res.json.error?.code, `${r.method} ${r.path}`).toBe('unauthorized');
      }
    }
  });

  it('signs in, knows who is signed in, and ends the session on sign-out', async () => {
    const wrong = await call('POST', '/auth/login', fromAddress(), { email: 'sara.nobody@example.com', password: 'leadline-demo' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error?.code).toBe('invalid_credentials');
    const session = await apiSession(h.baseUrl, 'JAMES@example.com', undefined, fromAddress());
    const me = await call('GET', '/auth/me', session);
    expect(me.json).toMatchObject({ user: { email: 'james@example.com', role: 'broker', brokerId: 'broker-james', name: 'James Okafor' } });
    expect(JSON.stringify(me.json)).not.toContain('password');
    expect((await call('POST', '/auth/logout', session)).status).toBe(204);
    expect((await call('GET', '/auth/me', session)).status).toBe(401);
    expect((await call('GET', '/leads', session)).status).toBe(401);
  });

  it('rate limits failed sign-ins per account and per address, with a clear message', async () => {
    const email = `limited-${randomBytes(3).toString('hex')}@example.com`;
    for (let i = 0; i < 3; i++) expect((await call('POST', '/auth/login', fromAddress(), { email, password: `wrong-${i}` })).status).toBe(401);
    const blocked = await call('POST', '/auth/login', fromAddress(), { email, password: 'whatever' });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error?.code).toBe('too_many_sign_in_attempts');
    expect(blocked.json.error?.message).toMatch(/Too many failed sign-in attempts for this account\. Try again in \d+ minutes?/);

    // Per address: six failures on six different accounts from one address block that address, even for a right password.
    const address = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 6; i++) await call('POST', '/auth/login', address, { email: `spray-${i}-${randomBytes(2).toString('hex')}@example.com`, password: 'leadline-demo' });
    const sprayed = await call('POST', '/auth/login', address, { email: 'priya@example.com', password: 'leadline-demo' });
    expect(sprayed.status).toBe(429);
    expect(sprayed.json.error?.message).toContain('from your network address');
    // Priya herself, from her own address, is not locked out by someone else's spraying.
    expect((await call('POST', '/auth/login', fromAddress(), { email: 'priya@example.com', password: 'leadline-demo' })).status).toBe(200);
  });

  it('invites a broker by e-mail; the link sets a password once; a reset link ends old sessions; deactivation ends them at once', async () => {
    const email = `invitee-${randomBytes(3).toString('hex')}@example.com`;
    expect((await call('POST', '/users/invitations', manager, { email, name: 'Nadia Invitee', role: 'broker' })).status).toBe(403);
    expect((await call('POST', '/users/invitations', machineAuth, { email, name: 'Nadia Invitee', role: 'broker' })).status).toBe(403);
    const invited = await call('POST', '/users/invitations', admin, { email, name: 'Nadia Invitee', role: 'broker', timeZone: 'Asia/Dubai', workingHours: '09:00-18:00' });
    expect(invited.status).toBe(201);
    const user = invited.json.user as { id: string; brokerId: string; invited: boolean };
    expect(user).toMatchObject({ invited: true });
    expect(user.brokerId).toMatch(/^broker-/);
    expect((await call('GET', '/brokers', admin)).json.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: user.brokerId, name: 'Nadia Invitee' })]));
    // Not yet able to sign in: no password.
    expect((await call('POST', '/auth/login', fromAddress(), { email, password: 'anything-at-all' })).status).toBe(401);

    const invitation = await mail.waitFor(email);
    expect(invitation.subject).toContain('invited');
    const link = /http:\/\/web\.example\.test\/set-password\/([A-Za-z0-9_-]+)/.exec(invitation.text);
    expect(link).not.toBeNull();
    const token = link![1]!;
    expect((await call('GET', `/auth/password/${token}`)).json).toMatchObject({ purpose: 'invite', name: 'Nadia Invitee', email });
    expect((await call('POST', '/auth/password', {}, { token, password: 'short' })).status).toBe(400);
    expect((await call('POST', '/auth/password', {}, { token, password: 'nadia-first-password' })).status).toBe(200);
    expect((await call('POST', '/auth/password', {}, { token, password: 'nadia-second-password' })).status).toBe(410);
    const nadia = await apiSession(h.baseUrl, email, 'nadia-first-password', fromAddress());

    // Reset: the answer never says whether an address has an account.
    expect((await call('POST', '/auth/password-reset', fromAddress(), { email: `nobody-${randomBytes(3).toString('hex')}@example.com` })).status).toBe(202);
    expect((await call('POST', '/auth/password-reset', fromAddress(), { email })).status).toBe(202);
    const resetMail = await eventuallyMail(mail, email, 'Reset');
    const resetToken = /set-password\/([A-Za-z0-9_-]+)/.exec(resetMail.text)![1]!;
    expect((await call('POST', '/auth/password', {}, { token: resetToken, password: 'nadia-new-password-2' })).status).toBe(200);
    expect((await call('GET', '/auth/me', nadia)).status).toBe(401);
    expect((await call('POST', '/auth/login', fromAddress(), { email, password: 'nadia-first-password' })).status).toBe(401);
    const again = await apiSession(h.baseUrl, email, 'nadia-new-password-2', fromAddress());
    expect((await call('GET', '/auth/me', again)).status).toBe(200);

    // Deactivation: the open session stops working on the very next request, and routing skips the broker.
    const off = await call('PATCH', `/users/${user.id}`, admin, { active: false });
    expect(off.status).toBe(200);
    expect((await call('GET', '/auth/me', again)).status).toBe(401);
    expect((await call('POST', '/auth/login', fromAddress(), { email, password: 'nadia-new-password-2' })).status).toBe(401);
    const brokers = (await call('GET', '/brokers?available=true', admin)).json.items as Array<{ id: string }>;
    expect(brokers.map((b) => b.id)).not.toContain(user.brokerId);

    // Admin-only settings: pause routing, hours and zone; brokers and managers may not.
    expect((await call('PATCH', `/users/${user.id}`, james, { paused: true })).status).toBe(403);
    const settings = await call('PATCH', `/users/${user.id}`, admin, { active: true, paused: true, workingHours: '10:00-19:00', timeZone: 'Europe/London' });
    expect(settings.json.user).toMatchObject({ active: true, workingHours: '10:00-19:00', timeZone: 'Europe/London' });
    expect((await call('PATCH', `/users/${user.id}`, admin, { timeZone: 'Mars/Olympus' })).status).toBe(400);
    const listed = ((await call('GET', '/users', admin)).json.items as Array<{ id: string; paused: boolean }>).find((u) => u.id === user.id);
    expect(listed?.paused).toBe(true);
    expect((await call('GET', '/users', manager)).status).toBe(403);
  });

  it('enforces the role matrix both ways on leads, records the actor and keeps the audit log free of personal data', async () => {
    const lead = await startLead(h);
    const id = lead.leadId;
    // Before anyone owns it, the lead is in the pool: every broker sees it, none may act on it but to claim.
    expect((await call('GET', `/leads/${id}`, priya)).status).toBe(200);
    expect((await call('POST', `/leads/${id}/stage`, james, { stage: 'lost', reason: 'x' })).status).toBe(403);
    expect((await call('POST', `/leads/${id}/claim`, james, { brokerId: 'broker-priya' })).json.error?.code).toBe('forbidden');
    // A client cannot name the actor itself.
    expect((await call('POST', `/leads/${id}/claim`, james, { actor: { id: 'x', role: 'admin' } })).status).toBe(400);

    const claimed = await call('POST', `/leads/${id}/claim`, james, {});
    expect(claimed.status).toBe(200);
    expect(claimed.json.lead).toMatchObject({ ownerId: 'broker-james' });

    // Another broker: cannot read, claim, move, message, release or add tasks to James's lead.
    for (const [method, path, body] of [
      ['GET', `/leads/${id}`, undefined],
      ['POST', `/leads/${id}/claim`, {}],
      ['POST', `/leads/${id}/release`, {}],
      ['POST', `/leads/${id}/stage`, { stage: 'lost', reason: 'mine now' }],
      ['POST', `/leads/${id}/messages`, { text: 'hello from priya' }],
      ['POST', `/leads/${id}/tasks`, { title: 'steal', dueAt: new Date(Date.now() + 86_400_000).toISOString() }],
      ['POST', `/leads/${id}/tasks/t-1/complete`, {}],
      ['POST', `/leads/${id}/qualify`, { qualified: true, reason: 'x' }],
    ] as const) {
      const res = await call(method, path, priya, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error?.code).toBe('forbidden');
    }
    const priyaList = (await call('GET', '/leads?limit=200', priya)).json.items as Array<{ id: string; ownerId: string | null }>;
    expect(priyaList.map((l) => l.id)).not.toContain(id);
    expect(priyaList.every((l) => l.ownerId === null || l.ownerId === 'broker-priya')).toBe(true);
    expect(((await call('GET', '/leads?limit=200', james)).json.items as Array<{ id: string }>).map((l) => l.id)).toContain(id);

    // The owner acts; qualification is a manager's.
    expect((await call('POST', `/leads/${id}/messages`, james, { text: 'Hello, James here' })).status).toBe(201);
    expect((await call('POST', `/leads/${id}/tasks`, james, { title: 'Call back', dueAt: new Date(Date.now() + 86_400_000).toISOString(), assignee: 'broker-priya' })).status).toBe(403);
    expect((await call('POST', `/leads/${id}/qualify`, james, { qualified: true, reason: 'met them' })).status).toBe(403);
    expect((await call('POST', `/leads/${id}/qualify`, manager, { qualified: true, score: 70, reason: 'called them', by: 'broker-priya' })).status).toBe(403);
    const qualified = await call('POST', `/leads/${id}/qualify`, manager, { qualified: true, score: 70, reason: 'called them' });
    expect(qualified.status).toBe(200);

    // Managers see everything and reassign (release, then assign to someone else).
    expect((await call('GET', `/leads/${id}`, manager)).status).toBe(200);
    expect((await call('POST', `/leads/${id}/release`, manager, {})).status).toBe(200);
    expect((await call('POST', `/leads/${id}/claim`, manager, { brokerId: 'broker-priya' })).status).toBe(200);
    expect((await call('POST', `/leads/${id}/messages`, james, { text: 'still mine?' })).status).toBe(403);
    expect((await call('GET', `/leads/${id}`, priya)).status).toBe(200);

    const detail = await call('GET', `/leads/${id}`, admin);
    const history = detail.json.history as Array<{ action: string; actorName: string; actorRole: string; details: Record<string, unknown> }>;
    expect(history.map((e) => [e.action, e.actorName])).toEqual([
      ['lead.claim', 'James Okafor'],
      ['lead.message', 'James Okafor'],
      ['lead.qualify', 'Morgan Manager'],
      ['lead.release', 'Morgan Manager'],
      ['lead.claim', 'Morgan Manager'],
    ]);
    expect(history[4]!.details).toMatchObject({ brokerId: 'broker-priya' });
    expect(JSON.stringify(history)).not.toContain('James here');
    const qualification = (detail.json.workflow as { state: { qualificationOverride: { by: string } } }).state.qualificationOverride;
    expect(qualification.by).not.toBe('broker-james');
  });

  it('answers wrong methods, unknown methods, oversized headers and malformed requests in the envelope, with security headers', async () => {
    const wrongMethod = await call('PUT', '/leads', machineAuth);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json.error?.code).toBe('method_not_allowed');
    expect(wrongMethod.headers.get('allow')).toContain('GET');
    const unknown = await call('PROPFIND', '/leads', machineAuth);
    expect(unknown.status).toBe(501);
    expect(unknown.json.error?.code).toBe('not_implemented');
    for (const res of [wrongMethod, unknown, await call('GET', '/healthz')]) {
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }

    const { port } = new URL(h.baseUrl);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
        let out = '';
        socket.on('data', (d) => (out += d.toString()));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
    const huge = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'headers_too_large' } });
    const malformed = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /);
    expect(malformed).toContain('x-frame-options: DENY'.replace('x-frame-options', 'X-Frame-Options'));
    expect(JSON.parse(malformed.slice(malformed.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'malformed_request' } });
  });
});

async function eventuallyMail(mail: MailServer, to: string, subjectPart: string) {
  for (let i = 0; i < 100; i++) {
    const m = await mail.waitFor(to);
    if (m.subject.includes(subjectPart)) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no "${subjectPart}" mail to ${to}`);
}
