import { useEffect, useRef } from 'react';
import { Link, useFetcher } from 'react-router';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Select } from '~/components/ui/input';
import { timeAgo } from '~/lib/format';
import { errorText } from '~/lib/error-text';
import type { LeadSummary } from '../../../domain/lead-summary.schema';
import type { BoardBroker, MoveResult } from './pipeline.types';

export const DRAG_TYPE = 'application/x-leadline-lead';
export const MOVE_REASON = 'moved on the pipeline board';
export const fetcherKey = (leadId: string) => `move:${leadId}`;

export interface CardRefusal {
  code: string;
  message: string;
}

/**
 * Hears how a card's move ended. It lives on the board, not in the card: a moving card is
 * remounted in another column (and back again when refused), and the router drops a keyed
 * fetcher's result when it completes while no mounted component uses that key, so a result
 * read from the card itself was now and then lost and a refusal never shown.
 */
export function MoveWatcher({ leadId, onSettled }: { leadId: string; onSettled: (result: MoveResult) => void }) {
  const fetcher = useFetcher<MoveResult>({ key: fetcherKey(leadId) });
  // The card's previous move may have left its result under the same key: only a newer one counts.
  const before = useRef(fetcher.data);
  const result = fetcher.state === 'idle' && fetcher.data !== before.current ? fetcher.data : undefined;
  useEffect(() => {
    if (result) onSettled(result);
    // Only a new result counts; the callback is a fresh closure on every render.
  }, [result]);
  return null;
}

export function PipelineCard({ lead, stage, ownerId, brokers, targets, refusal, focus, onFocused, onBeforeMove, onDragStart, onDragEnd }: {
  lead: LeadSummary;
  stage: string;
  ownerId: string | null;
  brokers: BoardBroker[];
  /** Where this card may go from here (claimed when it can be claimed). */
  targets: readonly string[];
  refusal: CardRefusal | null;
  /** Take the keyboard focus (after a move, in the card's new column). */
  focus: boolean;
  onFocused: () => void;
  onBeforeMove: () => void;
  onDragStart: () => void;
  onDragEnd: () => void;
}) {
  const fetcher = useFetcher<MoveResult>({ key: fetcherKey(lead.id) });
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!focus) return;
    const select = formRef.current?.querySelector('select');
    select?.focus();
    select?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    onFocused();
  }, [focus]);
  const moving = fetcher.state !== 'idle';
  const name = lead.contact.name ?? 'Unnamed lead';
  const owner = ownerId ? (brokers.find((b) => b.id === ownerId)?.name ?? ownerId) : null;
  const refused = refusal ? errorText(refusal.code, refusal.message) : null;
  return (
    <article
      className={`lead-card ${moving ? 'is-moving' : ''} ${refusal ? 'is-rejected' : ''}`}
      draggable
      data-testid="pipeline-card"
      data-lead-id={lead.id}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, lead.id);
        e.dataTransfer.setData('text/plain', lead.id);
        e.dataTransfer.effectAllowed = 'move';
        onDragStart();
      }}
      onDragEnd={onDragEnd}
    >
      <div className="lead-card-top">
        <Link to={`/leads/${lead.id}`} className="lead-card-name" draggable={false}>
          {name}
        </Link>
        <Badge tone={lead.score === null ? 'neutral' : lead.score >= 60 ? 'good' : 'info'}>{lead.score ?? '—'}</Badge>
      </div>
      <div className="lead-card-meta">
        <span className={`channel channel-${lead.channel}`}>{lead.channel}</span>
        <span className="muted" suppressHydrationWarning>
          {timeAgo(lead.lastMessageAt ?? lead.createdAt)}
        </span>
      </div>
      <div className={`lead-card-owner ${owner ? '' : 'is-ai'}`} title="Owner" data-testid="card-owner">
        {owner ?? 'AI agent'}
      </div>
      {lead.lastMessagePreview ? <p className="lead-card-preview">{lead.lastMessagePreview}</p> : null}
      {/* The keyboard (and no-JS) way to move: choose, then press Move; arrowing through the options moves nothing. */}
      <fetcher.Form ref={formRef} method="post" className="lead-card-bottom" onSubmit={onBeforeMove}>
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="leadId" value={lead.id} />
        <input type="hidden" name="from" value={stage} />
        <input type="hidden" name="reason" value={MOVE_REASON} />
        <Select key={stage} name="stage" required className="move-select" aria-label={`Move ${name} to`} disabled={targets.length === 0}>
          <option value="">Move to…</option>
          {targets.map((s) => (
            <option key={s} value={s}>
              {s === 'claimed' ? 'claimed (claim for me)' : s}
            </option>
          ))}
        </Select>
        <Button type="submit" size="sm" variant="secondary" disabled={moving || targets.length === 0} aria-label={`Move ${name}`} title="Move">
          {moving ? '…' : '→'}
        </Button>
      </fetcher.Form>
      {refused ? (
        <p className="card-error" data-testid="card-error" role="alert" data-code={refusal?.code}>
          {refused.sentence}
          {refused.detail ? ` ${refused.detail}` : null}
        </p>
      ) : null}
    </article>
  );
}
