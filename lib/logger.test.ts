import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { REDACT_PATHS } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream), lines };
}

describe('logger PII redaction', () => {
  it('censors phone, email, names and message text at the top level and one level down', () => {
    const { log, lines } = capture();
    log.info({ phone: '+971501234567', contact: { email: 'a@example.com', name: 'Omar' }, message: { text: 'my number is +971501234567' }, leadId: 'keep-me' }, 'x');
    const out = lines.join('');
    expect(out).not.toContain('+971501234567');
    expect(out).not.toContain('a@example.com');
    expect(out).not.toContain('Omar');
    expect(out).toContain('keep-me');
    expect(out).toContain('[redacted]');
  });

  it('censors the webhook signature and authorization headers', () => {
    const { log, lines } = capture();
    log.info({ req: { headers: { authorization: 'Bearer secret-token', 'x-hub-signature-256': 'sha256=abc' } } }, 'req');
    const out = lines.join('');
    expect(out).not.toContain('secret-token');
    expect(out).not.toContain('sha256=abc');
  });
});
