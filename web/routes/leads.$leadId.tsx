import { Link, data } from 'react-router';
import type { Route } from './+types/leads.$leadId';
import { Alert } from '~/components/ui/alert';
import { Card } from '~/components/ui/card';
import { Composer } from '~/components/lead/composer';
import { ContactCard } from '~/components/lead/contact-card';
import { Conversation } from '~/components/lead/conversation';
import { buildConversation } from '~/components/lead/conversation.model';
import { HistoryCard } from '~/components/lead/history-card';
import { LeadHeader } from '~/components/lead/lead-header';
import { OwnerCard } from '~/components/lead/owner-card';
import { ProfileCard } from '~/components/lead/profile-card';
import { ScoreCard } from '~/components/lead/score-card';
import { scoreView } from '~/components/lead/score.model';
import { StageCard } from '~/components/lead/stage-card';
import { TasksCard } from '~/components/lead/tasks-card';
import { brokerLabel, brokerName } from '~/components/lead/use-form-outcome';
import { MatchesCard, WorkflowCard } from '~/components/lead/workflow-card';
import { ApiError } from '~/lib/api.server';
import { SendUnit } from '~/components/send-unit';
import { errorSentence } from '~/lib/error-text';
import { requireAuth } from '~/lib/session.server';
import { useLiveRevalidation, usePollWhileOffline } from '~/lib/use-lead-events';
import leadStyles from '~/styles/lead.css?url';
import { loadLeadPage, runLeadAction } from './leads.$leadId.server';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: leadStyles }];

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `${loaderData?.lead.contact.name ?? 'Lead'} · Leadline` }];

export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = requireAuth(context);
  try {
    return data(await loadLeadPage(auth, params.leadId));
  } catch (err) {
    if (err instanceof ApiError) throw data(errorSentence(err.code, err.message), { status: err.status });
    throw err;
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { result, status } = await runLeadAction(requireAuth(context), params.leadId, await request.formData());
  return data(result, { status });
}

export default function LeadDetailPage({ loaderData }: Route.ComponentProps) {
  const { lead, profile, qualification, timeline, workflow, brokers, history } = loaderData;
  // Live view: the lead's events arrive over /events and re-run the loader (typed drafts stay);
  // only while that stream is down does the page fall back to polling.
  const live = useLiveRevalidation((e) => e.leadId === lead.id);
  usePollWhileOffline(live);

  const state = workflow.state;
  const stage = state?.stage ?? lead.stage;
  const ownerId = state ? state.ownerId : lead.ownerId;
  const optedOut = state?.optedOut ?? false;
  const name = lead.contact.name ?? 'Unnamed lead';
  const score = scoreView(state?.qualification, qualification, state?.qualificationOverride);
  const slaDueAt = state ? state.handoff.slaDueAt : lead.slaDueAt;
  const items = buildConversation({ transcript: state?.transcript ?? null, timeline, history, brokerName: (id) => brokerName(brokers, id) });
  return (
    <div className="lead-page">
      <p className="lead-back">
        <Link to="/leads">← Lead Inbox</Link>
      </p>
      <LeadHeader
        name={name}
        stage={stage}
        score={score}
        owner={ownerId ? brokerLabel(brokers, ownerId) : null}
        handoffStatus={state?.handoff.status ?? null}
        offeredTo={state?.handoff.offeredTo ? brokerName(brokers, state.handoff.offeredTo) : null}
        slaDueAt={slaDueAt}
        replyDueAt={state?.brokerReply.dueAt ?? null}
        optedOut={optedOut}
        channel={lead.channel}
        language={lead.contact.language}
        contact={lead.contact}
      />
      {workflow.error ? <Alert>The lead&apos;s live state cannot be read right now, so commands may fail until it is back. Showing what was last stored.</Alert> : null}
      <div className="lead-layout">
        <div className="lead-main">
          <Card title="Conversation">
            <Conversation items={items} leadId={lead.id} leadName={name} />
            <Composer ownerId={ownerId} optedOut={optedOut} />
          </Card>
          <TasksCard tasks={state?.tasks ?? []} brokers={brokers} />
          <HistoryCard history={history} brokers={brokers} />
        </div>
        <div className="lead-side">
          <ScoreCard score={score} brokers={brokers} />
          <ProfileCard profile={state?.profile ? { ...state.profile } : profile} />
          <OwnerCard
            ownerId={ownerId}
            brokers={brokers}
            handoff={state?.handoff ?? null}
            slaDueAt={slaDueAt}
            followUpAt={state ? state.followUp.dueAt : lead.nextFollowUpAt}
            replyDueAt={state?.brokerReply.dueAt ?? null}
          />
          <StageCard stage={stage} stageReason={state?.stageReason ?? null} brokers={brokers} override={state?.qualificationOverride ?? null} />
          <ContactCard lead={lead} />
          <WorkflowCard workflow={workflow} stage={stage} />
          <SendUnit leadId={lead.id} />
          <MatchesCard matches={state?.matches ?? []} />
        </div>
      </div>
    </div>
  );
}
