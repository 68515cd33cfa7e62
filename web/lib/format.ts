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
