import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/harness';
import { startMailServer, type MailServer } from '../support/mail-server';
import { startWebStack, type WebStack } from '../support/web-stack';
import { fastSettings, startLead, waitForState } from '../integration/lead-support';

// #15 point 6 end to end: a real lead workflow hands off, and the broker it is offered to is told
// both ways within seconds: a toast in the open workspace (no reload) and an e-mail caught by the
// local SMTP server, the same maildev `make dev` runs.

const WEB_URL = 'http://web.example.test';

describe('a handoff reaches the offered broker (Chromium + local SMTP)', () => {
  let stack: WebStack;
  let mail: MailServer;

  beforeAll(async () => {
    mail = await startMailServer();
    stack = await startWebStack({ env: { SMTP_URL: mail.smtpUrl, WEB_URL } });
  });
  afterAll(async () => {
    await stack?.close();
    await mail?.stop();
  });

  it('shows James a toast and e-mails him when a lead is offered to him', async () => {
    const page = await stack.signedInPage('james@example.com', { viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.web.url}/leads`);
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });

    // A lead that asks for a person is handed off at once; a short SLA walks the offer through the
    // brokers (James among them), so the test does not depend on who routing picks first.
    const lead = await startLead(stack.h, { first: 'I want to speak to a real person', settings: fastSettings({ slaMs: 4000 }) });
    const toast = page.locator(`[data-testid="offer-toast"][data-lead-id="${lead.leadId}"]`);
    await toast.waitFor({ timeout: 90_000 });
    expect(await toast.innerText()).toContain('New lead offered to you');
    expect(new URL(page.url()).pathname).toBe('/leads');

    // The mail goes out from the same recorded event as the toast: it is waited for only briefly.
    const offer = await eventually(
      async () => (await mail.list('james@example.com')).find((m) => m.text.includes(`${WEB_URL}/leads/${lead.leadId}`)),
      'the offer e-mail to James',
      15_000,
    );
    expect(offer.subject).toMatch(/^New lead for you: /);
    expect(offer.text).not.toContain('real person');
    const state = await waitForState(lead, (s) => s.handoff.tried.includes('broker-james'), 'James among the brokers tried');
    expect(state.handoff.tried).toContain('broker-james');
    await page.context().close();
  });
});
