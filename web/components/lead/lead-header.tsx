import { LanguageTag } from '~/components/language-tag';
import { Badge } from '~/components/ui/badge';
import { ContactActions } from './contact-actions';
import { Countdown } from './countdown';
import type { ScoreView } from './score.model';

export interface LeadHeaderProps {
  name: string;
  stage: string;
  score: ScoreView;
  owner: string | null;
  handoffStatus: string | null;
  /** Whom the handoff is offered to (a name), while nobody has claimed it. */
  offeredTo: string | null;
  slaDueAt: string | null;
  replyDueAt: string | null;
  optedOut: boolean;
  channel: string;
  language?: string | null;
  contact: Parameters<typeof ContactActions>[0]['contact'];
}

/** What a broker needs in the first five seconds: who, how hot, whose, how long left, and how to reach them. */
export function LeadHeader(p: LeadHeaderProps) {
  const { score } = p;
  return (
    <header className="lead-header" data-testid="lead-header">
      <div className="lead-header-main">
        <h1 className="lead-name">{p.name}</h1>
        <div className="lead-badges">
          <Badge tone="info">
            <span data-testid="header-stage">{p.stage}</span>
          </Badge>
          <Badge>{p.channel}</Badge>
          <LanguageTag language={p.language} />
          {p.optedOut ? <Badge tone="warn">opted out</Badge> : null}
        </div>
        <dl className="lead-facts">
          <div>
            <dt>Score</dt>
            <dd data-testid="header-score">
              {score.value === null ? (
                <span className="muted">not scored</span>
              ) : (
                <>
                  <strong className={`score-pill ${score.value >= 70 ? 'is-hot' : score.value >= 40 ? 'is-warm' : ''}`}>{score.value}</strong>
                  <span className="muted">/100</span>
                  {score.override ? <span className="small"> manual</span> : null}
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Qualification</dt>
            <dd data-testid="header-qualified">{score.qualified ? 'Qualified' : 'Not qualified'}</dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd data-testid="header-owner">{p.owner ?? (p.handoffStatus === 'pool' ? 'Unclaimed (pool)' : p.handoffStatus === 'offered' ? `Offered to ${p.offeredTo ?? 'a broker'}, not claimed` : 'AI agent')}</dd>
          </div>
          <div>
            <dt>SLA</dt>
            <dd data-testid="header-sla">
              {p.slaDueAt ? <Countdown iso={p.slaDueAt} label="claim" /> : p.replyDueAt ? <Countdown iso={p.replyDueAt} label="reply" /> : <span className="muted">none running</span>}
            </dd>
          </div>
        </dl>
      </div>
      <ContactActions contact={p.contact} name={p.name} />
    </header>
  );
}
