import { useEffect, useRef, useState, type DragEvent } from 'react';
import { Link, useFetchers, useLocation, useSubmit } from 'react-router';
import { OPEN_AI_STAGES, STAGES, allowedMoves, isStage, type Stage } from '../../../domain/lead-stage.rules';
import type { LeadSummary } from '../../../domain/lead-summary.schema';
import { DRAG_TYPE, MOVE_REASON, MoveWatcher, PipelineCard, fetcherKey, type CardRefusal } from './pipeline-card';
import { boardLeads, type BoardBroker, type BoardColumn, type MoveResult } from './pipeline.types';
import { useAutoScroll } from './use-auto-scroll';

// Working order left to right; the closed stages sit at the end.
const COLUMNS = ['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'negotiation', 'nurture', 'won', 'lost'] as const satisfies readonly Stage[];
if (COLUMNS.length !== STAGES.length) throw new Error('every stage needs a pipeline column');

export const SORTS = {
  newest: { label: 'Newest first', compare: (a: LeadSummary, b: LeadSummary) => b.createdAt.localeCompare(a.createdAt) },
  score: { label: 'Highest score', compare: (a: LeadSummary, b: LeadSummary) => (b.score ?? -1) - (a.score ?? -1) },
  recent: { label: 'Latest message', compare: (a: LeadSummary, b: LeadSummary) => (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? '') },
  sla: { label: 'SLA due soonest', compare: (a: LeadSummary, b: LeadSummary) => (a.slaDueAt ?? '9').localeCompare(b.slaDueAt ?? '9') },
} as const;
export type SortKey = keyof typeof SORTS;

/** Where a card may go: the manual moves, and Claimed while nobody owns it (the drop claims it for me). */
function targetsOf(stage: string, ownerId: string | null, canClaim: boolean): readonly string[] {
  if (!isStage(stage)) return [];
  const moves = allowedMoves(stage);
  return canClaim && !ownerId && OPEN_AI_STAGES.includes(stage) ? ['claimed', ...moves] : moves;
}

type Dragging = { id: string; from: string; ownerId: string | null } | null;

export function PipelineBoard({ columns, brokers, sort, canClaim, pageSize }: { columns: BoardColumn[]; brokers: BoardBroker[]; sort: SortKey; canClaim: boolean; pageSize: number }) {
  const submit = useSubmit();
  const fetchers = useFetchers();
  const location = useLocation();
  const boardRef = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<Dragging>(null);
  const [over, setOver] = useState<string | null>(null);
  // Moves the workflow accepted but the lists (a projection written just after) may not show yet.
  const [placed, setPlaced] = useState<Record<string, { stage: string; ownerId: string | null }>>({});
  // Refusals live here, not in the card's fetcher: a card that snaps back is remounted in its old
  // column, and the router drops a keyed fetcher's data once its last user unmounts.
  const [refused, setRefused] = useState<Record<string, CardRefusal>>({});
  // The card that takes the keyboard focus once it is in its new column (or back in its old one).
  const [focusId, setFocusId] = useState<string | null>(null);
  // Cards whose move is on its way: each gets a watcher that stays mounted until the result is in.
  const [watching, setWatching] = useState<string[]>([]);
  const watch = (leadId: string) => setWatching((w) => (w.includes(leadId) ? w : [...w, leadId]));
  const settled = (leadId: string, result: MoveResult) => {
    setWatching((w) => w.filter((id) => id !== leadId));
    if (result.ok) setPlaced((p) => ({ ...p, [leadId]: { stage: result.stage, ownerId: result.ownerId } }));
    else setRefused((r) => ({ ...r, [leadId]: result.error }));
    setFocusId(leadId);
  };
  useAutoScroll(boardRef, dragging !== null);
  // Dragging needs the scripts: until they run, the server-rendered cards only move with "Move".
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  // A refresh (the 5 s poll, or the revalidation after another card's move) that lands mid-drag
  // would re-sort the columns under the pointer, and moving the dragged card's node ends a native
  // drag without a drop: the board shows the lists as they were when the drag began until it ends.
  const held = useRef<BoardColumn[] | null>(null);
  const shown = dragging && held.current ? held.current : columns;
  const all = boardLeads(shown);
  useEffect(() => {
    setPlaced((prev) => {
      const next = Object.fromEntries(Object.entries(prev).filter(([id, p]) => all.find((l) => l.id === id)?.stage !== p.stage));
      return Object.keys(next).length === Object.keys(prev).length ? prev : next;
    });
  }, [columns]);

  const pending = new Map<string, string>();
  for (const f of fetchers) {
    const stage = f.formData?.get('stage');
    if (f.key.startsWith('move:') && typeof stage === 'string') pending.set(f.key.slice(5), stage);
  }
  const stageOf = (lead: LeadSummary) => pending.get(lead.id) ?? placed[lead.id]?.stage ?? lead.stage;
  const ownerOf = (lead: LeadSummary) => (placed[lead.id] ? placed[lead.id]!.ownerId : lead.ownerId);

  const clearRefusal = (leadId: string) => setRefused(({ [leadId]: _, ...rest }) => rest);

  const move = (lead: LeadSummary, to: string) => {
    const from = stageOf(lead);
    if (to === from) return;
    clearRefusal(lead.id);
    watch(lead.id);
    void submit({ intent: 'move', leadId: lead.id, from, stage: to, reason: MOVE_REASON }, { method: 'post', navigate: false, fetcherKey: fetcherKey(lead.id) });
  };

  const onDrop = (e: DragEvent<HTMLElement>, to: string) => {
    e.preventDefault();
    setOver(null);
    const id = e.dataTransfer.getData(DRAG_TYPE) || e.dataTransfer.getData('text/plain') || dragging?.id;
    setDragging(null);
    const lead = all.find((l) => l.id === id);
    if (lead) move(lead, to);
  };

  const allowedTargets = dragging ? targetsOf(dragging.from, dragging.ownerId, canClaim) : [];
  const moreHref = (stage: string, n: number) => {
    const params = new URLSearchParams(location.search);
    params.set(`n.${stage}`, String(n));
    return `?${params.toString()}`;
  };
  return (
    <div className="board" data-testid="pipeline" data-ready={ready ? 'true' : undefined} ref={boardRef}>
      {watching.map((id) => (
        <MoveWatcher key={id} leadId={id} onSettled={(result) => settled(id, result)} />
      ))}
      {COLUMNS.map((stage) => {
        const column = shown.find((c) => c.stage === stage) ?? { stage, items: [], total: 0, limit: pageSize };
        // Cards placed here by a move the lists do not show yet join this column; cards moved away leave it.
        const cards = all.filter((l) => stageOf(l) === stage).sort(SORTS[sort].compare);
        // The API's total, give or take the cards moved in or out since it was counted.
        const movedIn = cards.filter((l) => l.stage !== stage).length;
        const movedOut = column.items.filter((l) => stageOf(l) !== stage).length;
        const count = Math.max(0, column.total + movedIn - movedOut);
        const state = !dragging ? '' : dragging.from === stage ? 'is-source' : allowedTargets.includes(stage) ? 'is-allowed' : 'is-blocked';
        return (
          <section
            key={stage}
            className={`column ${state} ${over === stage ? 'is-over' : ''}`}
            data-stage={stage}
            aria-label={`${stage} column, ${count} lead${count === 1 ? '' : 's'}`}
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
              <span className="column-count" data-testid="column-count">
                {count}
              </span>
            </header>
            <div className="column-body">
              {cards.map((lead) => (
                <PipelineCard
                  key={lead.id}
                  lead={lead}
                  stage={stageOf(lead)}
                  ownerId={ownerOf(lead)}
                  brokers={brokers}
                  targets={targetsOf(stageOf(lead), ownerOf(lead), canClaim)}
                  refusal={refused[lead.id] ?? null}
                  focus={focusId === lead.id}
                  onFocused={() => setFocusId(null)}
                  onBeforeMove={() => {
                    clearRefusal(lead.id);
                    watch(lead.id);
                  }}
                  onDragStart={() => {
                    held.current = columns;
                    setDragging({ id: lead.id, from: stageOf(lead), ownerId: ownerOf(lead) });
                  }}
                  onDragEnd={() => {
                    setDragging(null);
                    setOver(null);
                  }}
                />
              ))}
              {cards.length === 0 ? <p className="column-empty">No leads</p> : null}
              {column.total > column.items.length ? (
                <Link className="column-more" to={moreHref(stage, column.limit + pageSize)} preventScrollReset replace data-testid="show-more">
                  Show more ({column.total - column.items.length} not shown)
                </Link>
              ) : null}
            </div>
          </section>
        );
      })}
    </div>
  );
}
