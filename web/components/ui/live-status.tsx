import type { LiveStatus } from '~/lib/use-lead-events';

/** Whether the page is on the live feed: brokers should know when what they see may be stale. */
export function LiveStatusBadge({ status }: { status: LiveStatus }) {
  return (
    <span className={`live live-${status}`} data-testid="live-status" role="status">
      {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline'}
    </span>
  );
}
