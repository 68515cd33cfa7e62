import { Link, data, useFetcher, useFetchers, useRevalidator, useSubmit } from 'react-router';
import { useEffect, useState, type DragEvent } from 'react';
import type { Route } from './+types/pipeline';
import { Alert } from '~/components/ui/alert';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Select } from '~/components/ui/input';
import { timeAgo } from '~/lib/format';
import { ApiError } from '~/lib/api.server';
import { requireAuth } from '~/lib/session.server';
import { STAGES, StageSchema, allowedMoves, type Stage } from '../../domain/lead-stage.rules';
import { loadBoard, moveCard } from './pipeline.server';
import type { LeadSummary } from '../../domain/lead-summary.schema';
import type { BrokerItem } from './leads.server';

export const meta: Route.MetaFunction = () => [{ title: 'Pipeline · Leadline' }];

export async function loader({ context }: Route.LoaderArgs) {
  try {
    return data(await loadBoard(requireAuth(context)));
  } catch (err) {
    if (err instanceof ApiError) throw data(err.message, { status: err.status });
    throw err;
  }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { result, status } = await moveCard(requireAuth(context), await request.formData());
  return data(result, { status });
}

// Working order left to right; the closed stages sit at the end.
const COLUMNS = ['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'nurture', 'won', 'lost'] as const satisfies readonly Stage[];
if (COLUMNS.length !== STAGES.length) throw new Error('every stage needs a pipeline column');

const REASON = 'moved on the pipeline board';
const DRAG_TYPE = 'application/x-leadline-lead';
const fetcherKey = (leadId: string) => `move:${leadId}`;
const movesFrom = (stage: string): readonly Stage[] => {
  const s = StageSchema.safeParse(stage);
  return s.success ? allowedMoves(s.data) : [];
};

type Dragging = { id: string; from: string } | null;

export default function PipelinePage({ loaderData }: Route.ComponentProps) {
  const { leads, total, brokers } = loaderData;
  const submit = useSubmit();
  const revalidator = useRevalidator();
  const fetchers = useFetchers();
  const [dragging, setDragging] = useState<Dragging>(null);
  const [over, setOver] = useState<string | null>(null);
  // Moves the workflow accepted but the list (a projection written just after) may not show yet.
  const [placed, setPlaced] = useState<Record<string, string>>({});
  // Refusals live here, not in the card's fetcher: a card that snaps back is remounted in its old
  // column, and the router drops a keyed fetcher's data once its last user unmounts.
  const [rejection, setRejection] = useState<{ leadId: string; code: string; message: string } | null>(null);
  const [refused, setRefused] = useState<Record<string, string>>({});

  // Other brokers move cards too: refresh the board while it is open.
  useEffect(() => {
    const id = setInterval(() => {
      if (revalidator.state === 'idle') void revalidator.revalidate();
    }, 5000);
    return () => clearInterval(id);
  }, [revalidator]);

  useEffect(() => {
    setPlaced((prev) => {
      const next = Object.fromEntries(Object.entries(prev).filter(([id, stage]) => leads.find((l) => l.id === id)?.stage !== stage));
      return Object.keys(next).length === Object.keys(prev).length ? prev : next;
    });
  }, [leads]);

  const pending = new Map<string, string>();
  for (const f of fetchers) {
    const stage = f.formData?.get('stage');
    if (f.key.startsWith('move:') && typeof stage === 'string') pending.set(f.key.slice(5), stage);
  }
  const stageOf = (lead: LeadSummary) => pending.get(lead.id) ?? placed[lead.id] ?? lead.stage;

  const clearRefusal = (leadId: string) => {
    setRejection(null);
    setRefused(({ [leadId]: _, ...rest }) => rest);
  };

  const move = (lead: LeadSummary, to: string) => {
    const from = stageOf(lead);
    if (to === from) return;
    clearRefusal(lead.id);
    void submit({ intent: 'move', leadId: lead.id, from, stage: to, reason: REASON }, { method: 'post', navigate: false, fetcherKey: fetcherKey(lead.id) });
  };

  const onDrop = (e: DragEvent<HTMLElement>, to: string) => {
    e.preventDefault();
    setOver(null);
    const id = e.dataTransfer.getData(DRAG_TYPE) || e.dataTransfer.getData('text/plain') || dragging?.id;
    setDragging(null);
    const lead = leads.find((l) => l.id === id);
    if (lead) move(lead, to);
  };

  const allowedTargets = dragging ? movesFrom(dragging.from) : [];
  return (
    <>
      <h1>Pipeline</h1>
      <p className="muted">
        Drag a card to another column, or use its “Move to…” menu. The lead&apos;s workflow checks every move; a refused move snaps back.
        {total > leads.length ? ` Showing the newest ${leads.length} of ${total} leads.` : null}
      </p>
      {rejection ? (
        <Alert testId="pipeline-error">
          {leads.find((l) => l.id === rejection.leadId)?.contact.name ?? 'Lead'} stays put. <code>{rejection.code}</code>: {rejection.message}
        </Alert>
      ) : null}
      <div className="board" data-testid="pipeline">
        {COLUMNS.map((stage) => {
          const cards = leads.filter((l) => stageOf(l) === stage);
          const state = !dragging ? '' : dragging.from === stage ? 'is-source' : allowedTargets.includes(stage) ? 'is-allowed' : 'is-blocked';
          return (
            <section
              key={stage}
              className={`column ${state} ${over === stage ? 'is-over' : ''}`}
              data-stage={stage}
              aria-label={`${stage} column`}
              onDragOver={(e) => {
                if (!dragging && !e.dataTransfer.types.includes(DRAG_TYPE)) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                if (over !== stage) setOver(stage);
              }}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver((o) => (o === stage ? null : o));
              }}
              onDrop={(e) => onDrop(e, stage)}
            >
              <header className="column-header">
                <span className="column-title">{stage}</span>
                <span className="column-count">{cards.length}</span>
              </header>
              <div className="column-body">
                {cards.map((lead) => (
                  <LeadCard
                    key={lead.id}
                    lead={lead}
                    stage={stageOf(lead)}
                    brokers={brokers}
                    error={refused[lead.id] ?? null}
                    onBeforeMove={() => clearRefusal(lead.id)}
                    onDragStart={() => setDragging({ id: lead.id, from: stageOf(lead) })}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(null);
                    }}
                    onSettled={(result) => {
                      if (result.ok) setPlaced((p) => ({ ...p, [lead.id]: result.stage }));
                      else {
                        setRejection({ leadId: lead.id, ...result.error });
                        setRefused((r) => ({ ...r, [lead.id]: result.error.message }));
                      }
                    }}
                  />
                ))}
                {cards.length === 0 ? <p className="column-empty">No leads</p> : null}
              </div>
            </section>
          );
        })}
      </div>
    </>
  );
}

function LeadCard({ lead, stage, brokers, error, onBeforeMove, onDragStart, onDragEnd, onSettled }: {
  lead: LeadSummary;
  stage: string;
  brokers: BrokerItem[];
  error: string | null;
  onBeforeMove: () => void;
  onDragStart: () => void;
  onDragEnd: () => void;
  onSettled: (result: { ok: true; stage: string } | { ok: false; error: { code: string; message: string } }) => void;
}) {
  const fetcher = useFetcher<typeof action>({ key: fetcherKey(lead.id) });
  const result = fetcher.state === 'idle' ? fetcher.data : undefined;
  useEffect(() => {
    if (result) onSettled(result);
    // Only a new result counts; the callback is a fresh closure on every render.
  }, [result]);
  const moving = fetcher.state !== 'idle';
  const name = lead.contact.name ?? 'Unnamed lead';
  const owner = lead.ownerId ? (brokers.find((b) => b.id === lead.ownerId)?.name ?? lead.ownerId) : null;
  const moves = movesFrom(stage);
  return (
    <article
      className={`lead-card ${moving ? 'is-moving' : ''} ${error ? 'is-rejected' : ''}`}
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
        <span className="muted">{timeAgo(lead.lastMessageAt ?? lead.createdAt)}</span>
      </div>
      <div className={`lead-card-owner ${owner ? '' : 'is-ai'}`} title="Owner" data-testid="card-owner">
        {owner ?? 'AI agent'}
      </div>
      {lead.lastMessagePreview ? <p className="lead-card-preview">{lead.lastMessagePreview}</p> : null}
      {/* The keyboard (and no-JS) way to move: choose, then press Move; arrowing through the options moves nothing. */}
      <fetcher.Form method="post" className="lead-card-bottom" onSubmit={onBeforeMove}>
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="leadId" value={lead.id} />
        <input type="hidden" name="from" value={stage} />
        <input type="hidden" name="reason" value={REASON} />
        <Select key={stage} name="stage" required className="move-select" aria-label={`Move ${name} to`} disabled={moves.length === 0}>
          <option value="">Move to…</option>
          {moves.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
        <Button type="submit" size="sm" variant="secondary" disabled={moving || moves.length === 0} aria-label={`Move ${name}`} title="Move">
          {moving ? '…' : '→'}
        </Button>
      </fetcher.Form>
      {error ? (
        <p className="card-error" data-testid="card-error">
          {error}
        </p>
      ) : null}
    </article>
  );
}
