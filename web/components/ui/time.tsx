import { timeAgo } from '~/lib/format';

function relative(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return timeAgo(iso, now);
  const s = Math.round(ms / 1000);
  if (s < 60) return `in ${s}s`;
  if (s < 3600) return `in ${Math.round(s / 60)}m`;
  if (s < 86400) return `in ${Math.round(s / 3600)}h`;
  return `in ${Math.round(s / 86400)}d`;
}

/**
 * A timestamp as "in 4m" / "3m ago" with the full date and time beside it. Server and browser
 * render at different moments (and maybe in different time zones), hence suppressHydrationWarning.
 */
export function Time({ iso, withDate = true, due = false }: { iso: string | null | undefined; withDate?: boolean; due?: boolean }) {
  if (!iso) return <span className="muted">—</span>;
  const d = new Date(iso);
  const overdue = due && d.getTime() < Date.now();
  return (
    <time dateTime={iso} title={d.toISOString()} suppressHydrationWarning className={overdue ? 'time overdue' : 'time'}>
      {relative(iso)}
      {withDate ? (
        <span className="muted" suppressHydrationWarning>
          {' · '}
          {d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}
        </span>
      ) : null}
    </time>
  );
}
