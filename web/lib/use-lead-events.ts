import { useEffect, useRef, useState } from 'react';
import { useNavigation, useRevalidator } from 'react-router';

/** What the `/events` stream says about a lead: it changed (its kinds of change), with its fresh inbox row when visible. */
export interface LiveLeadEvent {
  leadId: string;
  /** The Redis event types behind it: state, reply, handoff, alert, reminder, note. */
  kinds: string[];
}

export type LiveStatus = 'connecting' | 'live' | 'offline';

/**
 * Listens to the signed-in user's lead events over server-sent events (the web server's
 * `/events`, which forwards the API's stream with the session cookie: the browser holds no
 * token). The browser's EventSource reconnects by itself; `status` says whether it is live.
 * `filter` picks the events a page cares about (a lead page: its own lead).
 */
export function useLeadEvents(onEvent: (event: LiveLeadEvent) => void, filter?: (event: LiveLeadEvent) => boolean): LiveStatus {
  const handler = useRef(onEvent);
  const accept = useRef(filter);
  handler.current = onEvent;
  accept.current = filter;
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/events');
    source.addEventListener('open', () => setStatus('live'));
    source.addEventListener('error', () => setStatus(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting'));
    source.addEventListener('lead', (message) => {
      let event: LiveLeadEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as LiveLeadEvent;
      } catch {
        return;
      }
      if (typeof event?.leadId !== 'string') return;
      if (accept.current && !accept.current(event)) return;
      handler.current(event);
    });
    return () => source.close();
  }, []);
  return status;
}

/**
 * Re-runs the page's loaders when a lead event arrives, at most about once a second however
 * many arrive: the server applies the page's filters, so what is shown stays what was asked.
 * Form inputs keep what was typed (the loaders' data changes, not the forms).
 */
export function useLiveRevalidation(filter?: (event: LiveLeadEvent) => boolean, delayMs = 400): LiveStatus {
  const revalidator = useRevalidator();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  return useLeadEvents(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void latest.current.revalidate();
    }, delayMs);
  }, filter);
}

/**
 * The fallback when the live stream is down (a proxy that buffers SSE, a restart): re-run the
 * loaders every few seconds until `/events` is live again, never while a form is submitting.
 */
export function usePollWhileOffline(status: LiveStatus, everyMs = 5000): void {
  const revalidator = useRevalidator();
  const busy = useNavigation().state !== 'idle';
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (status === 'live') return;
    const id = setInterval(() => {
      if (!busy && latest.current.state === 'idle') void latest.current.revalidate();
    }, everyMs);
    return () => clearInterval(id);
  }, [status, busy, everyMs]);
}
