export function money(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  try {
    const compact = amount >= 1_000_000;
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency ?? 'AED', maximumFractionDigits: compact ? 2 : 0, notation: compact ? 'compact' : 'standard' }).format(amount);
  } catch {
    return `${amount.toLocaleString('en')} ${currency ?? ''}`.trim();
  }
}

export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

// Bidi controls (LRE…RLO, LRI…PDI, LRM/RLM, ALM) in a lead's text would reorder the text
// around them; they are dropped and the text is shown isolated (<bdi>) instead.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A preview fit for one line: bidi controls and line breaks out, at most `max` characters. */
export function previewText(text: string | null | undefined, max = 120): string {
  if (!text) return '';
  const clean = text.replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}

/** The claim SLA as a countdown ("due in 4m") or how long it is overdue. */
export function slaCountdown(dueIso: string | null | undefined, now = Date.now()): { text: string; overdue: boolean } | null {
  if (!dueIso) return null;
  const ms = new Date(dueIso).getTime() - now;
  const abs = Math.abs(ms);
  const span = abs < 60_000 ? `${Math.max(1, Math.round(abs / 1000))}s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)}m` : abs < 86_400_000 ? `${Math.round(abs / 3_600_000)}h` : `${Math.round(abs / 86_400_000)}d`;
  return ms >= 0 ? { text: `due in ${span}`, overdue: false } : { text: `overdue ${span}`, overdue: true };
}

/** Score heat for the inbox: hot (80+), warm (qualified, 60+), cool, or none yet. */
export function scoreHeat(score: number | null | undefined): 'hot' | 'warm' | 'cool' | 'none' {
  if (score === null || score === undefined) return 'none';
  return score >= 80 ? 'hot' : score >= 60 ? 'warm' : 'cool';
}

const CHANNEL_LABELS: Record<string, string> = { whatsapp: 'WhatsApp', web: 'Web chat', leadads: 'Lead Ads', sms: 'SMS' };

/** A channel as people write it. */
export const channelLabel = (channel: string): string => CHANNEL_LABELS[channel] ?? channel;
