import { useState, type FormEvent } from 'react';
import type { ChatVerification } from '~/routes/chat.server';

// "Verify your number" in the public web chat (#12). Typing a number never joins the visitor to
// that number's contact; a one-time code sent to it (SMS or WhatsApp) does. The page talks to
// /chat/verify on its own origin, which adds the session key from the httpOnly cookie.

type Step = { name: 'closed' } | { name: 'phone' } | { name: 'code'; phone: string; via: string } | { name: 'verified'; phone: string };

interface ApiAnswer {
  verification?: { status?: string; via?: string; joinedExistingContact?: boolean };
  error?: { code?: string; message?: string; details?: { attemptsLeft?: number } | null };
}

const VIA_LABEL: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };

async function post(body: Record<string, string>): Promise<{ status: number; answer: ApiAnswer }> {
  const res = await fetch('/chat/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, answer: ((await res.json().catch(() => null)) ?? {}) as ApiAnswer };
}

function errorText(status: number, answer: ApiAnswer): string {
  const e = answer.error;
  if (e?.code === 'wrong_code') {
    const left = e.details?.attemptsLeft;
    return `That code is not right.${typeof left === 'number' ? ` ${left} ${left === 1 ? 'try' : 'tries'} left.` : ''}`;
  }
  if (status === 429) return 'Too many codes asked for; please try again later.';
  return e?.message ?? 'Something went wrong. Please try again.';
}

/** `verification`: what the API says about this chat's session (the page loader asks), so a reload still shows it. */
export function VerifyNumber({ disabled, verification }: { disabled: boolean; verification: ChatVerification | null }) {
  return (
    <>
      <style>{VERIFY_CSS}</style>
      <VerifySteps disabled={disabled} verification={verification} />
    </>
  );
}

function VerifySteps({ disabled, verification }: { disabled: boolean; verification: ChatVerification | null }) {
  const [step, setStep] = useState<Step>(verification?.status === 'verified' ? { name: 'verified', phone: `ending ${verification.phoneEnding ?? '…'}` } : { name: 'closed' });
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || !value.trim()) return;
    setBusy(true);
    setError(null);
    try {
      if (step.name === 'phone') {
        const { status, answer } = await post({ step: 'start', phone: value.trim() });
        if (status !== 202) return setError(errorText(status, answer));
        setStep({ name: 'code', phone: value.trim(), via: answer.verification?.via ?? 'sms' });
        setValue('');
      } else if (step.name === 'code') {
        const { status, answer } = await post({ step: 'check', code: value.trim() });
        if (status !== 200) {
          // An expired or used-up code cannot be retried: back to asking for a new one.
          if (status === 410) setStep({ name: 'phone' });
          return setError(errorText(status, answer));
        }
        setStep({ name: 'verified', phone: step.phone });
        setValue('');
      }
    } catch {
      setError('Connection lost. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  if (step.name === 'verified')
    return (
      <div className="chat-verify chat-verified" role="status" data-testid="number-verified">
        ✓ Your number {step.phone} is verified
      </div>
    );
  if (step.name === 'closed')
    return (
      <div className="chat-verify">
        <button type="button" className="chat-link" disabled={disabled} onClick={() => setStep({ name: 'phone' })}>
          Verify your number
        </button>
        <span> so we can pick up where you left off on WhatsApp or SMS.</span>
      </div>
    );
  const asking = step.name === 'phone';
  return (
    <form className="chat-verify" onSubmit={submit} aria-label="Verify your number">
      {asking ? null : (
        <div className="chat-verify-hint">
          We sent a 6-digit code by {VIA_LABEL[step.via] ?? step.via} to {step.phone}.{' '}
          <button type="button" className="chat-link" onClick={() => (setStep({ name: 'phone' }), setError(null))}>
            Use another number
          </button>
        </div>
      )}
      <div className="chat-verify-row">
        <input
          key={step.name}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-label={asking ? 'Your phone number' : 'Verification code'}
          placeholder={asking ? '+971 50 123 4567' : '123456'}
          inputMode={asking ? 'tel' : 'numeric'}
          autoComplete={asking ? 'tel' : 'one-time-code'}
          maxLength={asking ? 40 : 6}
        />
        <button type="submit" disabled={busy || !value.trim()}>
          {busy ? '…' : asking ? 'Send code' : 'Verify'}
        </button>
      </div>
      {error ? (
        <div className="chat-verify-error" role="alert" data-testid="verify-error">
          {error}
        </div>
      ) : null}
    </form>
  );
}

const VERIFY_CSS = `
.chat-verify { padding: 8px 18px; border-bottom: 1px solid var(--line); font-size: 13px; background: #f0fdfa; }
.chat-verified { color: #0f766e; font-weight: 600; }
.chat-link { background: none; border: 0; padding: 0; color: #0f766e; text-decoration: underline; cursor: pointer; font: inherit; }
.chat-verify-row { display: flex; gap: 8px; margin-top: 4px; }
.chat-verify-row input { flex: 1; padding: 6px 10px; border: 1px solid var(--line); border-radius: 8px; font-size: 14px; }
.chat-verify-row button { padding: 6px 14px; border: 0; border-radius: 8px; background: #0f766e; color: #fff; font-weight: 600; cursor: pointer; }
.chat-verify-row button:disabled { opacity: .5; cursor: default; }
.chat-verify-error { color: #b91c1c; margin-top: 4px; }
`;
