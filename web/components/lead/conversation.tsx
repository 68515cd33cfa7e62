import { useLayoutEffect, useRef } from 'react';
import { timeAgo } from '~/lib/format';
import type { ConversationItem } from './conversation.model';
import { MessageText } from './message-text';

const WHO: Record<string, string> = { lead: 'Lead', agent: 'AI agent', broker: 'Broker', system: 'System' };
const EVENT_LABEL: Record<string, string> = {
  handoff: 'Handoff',
  escalation: 'Escalation',
  alert: 'Alert',
  stage: 'Stage',
  reminder: 'Reminder',
  note: 'Note',
  action: 'Action',
};

// How close to the bottom counts as "reading the newest": new items then keep the view there.
const NEAR_BOTTOM_PX = 80;

/**
 * The conversation, opening at the newest message, with what happened to the lead between the
 * messages. It is a focusable, labelled log so a keyboard can scroll it (arrows, Page Up/Down).
 */
export function Conversation({ items, leadId, leadName }: { items: ConversationItem[]; leadId: string; leadName: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const seen = useRef<{ count: number; atBottom: boolean }>({ count: 0, atBottom: true });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // First render: jump to the newest. Later: follow new items only if the reader was at the bottom.
    if (seen.current.count === 0 || (items.length > seen.current.count && seen.current.atBottom)) el.scrollTop = el.scrollHeight;
    seen.current.count = items.length;
  }, [items.length]);
  return (
    <div
      className="transcript"
      data-testid="transcript"
      ref={ref}
      tabIndex={0}
      role="log"
      aria-label={`Conversation with ${leadName}`}
      onScroll={(e) => {
        const el = e.currentTarget;
        seen.current.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
      }}
    >
      {items.length === 0 ? <p className="muted">No messages yet.</p> : null}
      {items.map((item) =>
        item.kind === 'message' ? (
          <div key={item.id} className={`bubble ${item.from}`} data-from={item.from}>
            <span className="bubble-who">{item.from === 'broker' && item.by ? item.by : WHO[item.from]}</span>
            <span className="bubble-text">
              <MessageText text={item.text} />
            </span>
            {item.mediaId ? (
              <>
                {item.mediaType?.startsWith('image/') ? (
                  <img className="bubble-image" src={`/leads/${leadId}/media/${encodeURIComponent(item.mediaId)}`} alt={`Image from ${leadName}`} loading="lazy" />
                ) : null}
                <a className="bubble-file" href={`/leads/${leadId}/media/${encodeURIComponent(item.mediaId)}`} target="_blank" rel="noreferrer">
                  {item.mediaType?.startsWith('image/') ? 'Open image' : 'Open file'}
                </a>
              </>
            ) : null}
            <span className="meta" suppressHydrationWarning>
              {timeAgo(item.at)}
            </span>
          </div>
        ) : (
          <div key={item.id} className={`timeline-event event-${item.type}`} data-testid="timeline-event" data-type={item.type}>
            <span className="event-label">{EVENT_LABEL[item.type] ?? item.type}</span> {item.text}{' '}
            <span className="meta" suppressHydrationWarning>
              · {timeAgo(item.at)}
            </span>
          </div>
        ),
      )}
    </div>
  );
}
