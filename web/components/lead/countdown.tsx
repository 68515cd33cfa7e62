import { useEffect, useState } from 'react';

function left(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/**
 * A deadline ticking down each second ("4:12 left"), then how long ago it passed. Server and
 * browser render at different moments, hence suppressHydrationWarning.
 */
export function Countdown({ iso, label, testId }: { iso: string; label: string; testId?: string }) {
  const due = Date.parse(iso);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const ms = due - now;
  return (
    <time dateTime={iso} title={new Date(due).toISOString()} className={`countdown ${ms < 0 ? 'is-breached' : ms < 60_000 ? 'is-close' : ''}`} data-testid={testId} suppressHydrationWarning>
      {label} {ms < 0 ? `breached ${left(ms)} ago` : `${left(ms)} left`}
    </time>
  );
}
