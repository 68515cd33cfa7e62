import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useLeadEvents, type LiveLeadEvent } from '~/lib/use-lead-events';

// Tells the signed-in broker, on any page, that a lead was just offered to them: a toast with a
// link, and a browser notification when they allowed it (asked by a button, never on load).
// The live feed marks an event "offer" only on the stream of the broker it names.

const MAX_TOASTS = 3;

interface Toast {
  leadId: string;
  at: number;
}

type Permission = NotificationPermission | 'unsupported';

export function OfferToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [permission, setPermission] = useState<Permission>('unsupported');
  useEffect(() => setPermission(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission), []);

  const onOffer = useCallback((event: LiveLeadEvent) => {
    // The feed is at-least-once: a lead already on screen is not shown twice.
    setToasts((list) => (list.some((t) => t.leadId === event.leadId) ? list : [{ leadId: event.leadId, at: Date.now() }, ...list].slice(0, MAX_TOASTS)));
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      const note = new Notification('New lead offered to you', { body: 'Claim it in Leadline before the SLA runs out.', tag: `offer-${event.leadId}` });
      note.onclick = () => {
        window.focus();
        window.location.assign(`/leads/${event.leadId}`);
      };
    }
  }, []);
  useLeadEvents(onOffer, (event) => event.kinds.includes('offer'));

  const dismiss = (leadId: string) => setToasts((list) => list.filter((t) => t.leadId !== leadId));
  const ask = () => {
    void Notification.requestPermission().then(setPermission);
  };

  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.leadId} className="toast" role="status" data-testid="offer-toast" data-lead-id={t.leadId}>
          <strong>New lead offered to you</strong>
          <div className="toast-actions">
            <Link to={`/leads/${t.leadId}`} onClick={() => dismiss(t.leadId)}>
              Open the lead
            </Link>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => dismiss(t.leadId)} aria-label="Dismiss">
              Dismiss
            </button>
          </div>
        </div>
      ))}
      {permission === 'default' ? (
        <button type="button" className="btn btn-secondary btn-sm toast-permission" onClick={ask}>
          Desktop alerts for offers
        </button>
      ) : null}
    </div>
  );
}
