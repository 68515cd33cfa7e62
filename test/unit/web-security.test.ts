import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isSameOrigin } from '../../web/lib/security.server';
import { isPublicPath, pagePath, safeRedirect } from '../../web/lib/session.server';
import { clientErrorResponse } from '../../api/http-server';

const post = (headers: Record<string, string>) => new Request('http://app.test/leads/1', { method: 'POST', headers });

describe('web security helpers', () => {
  it('accepts a form only from this origin, and refuses a missing Origin', () => {
    expect(isSameOrigin(post({ origin: 'http://app.test' }))).toBe(true);
    expect(isSameOrigin(post({}))).toBe(false);
    expect(isSameOrigin(post({ origin: 'null' }))).toBe(false);
    expect(isSameOrigin(post({ origin: 'http://evil.test' }))).toBe(false);
    expect(isSameOrigin(post({ origin: 'http://app.test.evil.test' }))).toBe(false);
    expect(isSameOrigin(new Request('http://app.test/leads'))).toBe(true);
  });

  it('allows scripts only by nonce and no framing', () => {
    const csp = contentSecurityPolicy('abc');
    expect(csp).toContain("script-src 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('knows which pages are public, including their data requests', () => {
    expect(isPublicPath(pagePath(new URL('http://x/login.data')))).toBe(true);
    expect(isPublicPath(pagePath(new URL('http://x/chat/turn')))).toBe(true);
    expect(isPublicPath(pagePath(new URL('http://x/leads.data')))).toBe(false);
    expect(isPublicPath(pagePath(new URL('http://x/_root.data')))).toBe(false);
    expect(isPublicPath('/loginx')).toBe(false);
    expect(isPublicPath('/admin/users')).toBe(false);
  });

  it('redirects after sign-in to local paths only', () => {
    expect(safeRedirect('/leads/1')).toBe('/leads/1');
    for (const bad of ['//evil.test', 'https://evil.test', '/\\evil.test', null, undefined]) expect(safeRedirect(bad)).toBe('/leads');
  });

  it("writes Node's own 400 and 431 answers in the error envelope", () => {
    const big = clientErrorResponse(Object.assign(new Error('x'), { code: 'HPE_HEADER_OVERFLOW' }), true);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toContain('Strict-Transport-Security');
    expect(JSON.parse(big.split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'headers_too_large', message: 'Request headers are too large', details: null } });
    expect(clientErrorResponse(Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD' }), false)).toMatch(/^HTTP\/1\.1 400 /);
  });
});
