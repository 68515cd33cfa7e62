import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { followUpOffsets } from '../domain/follow-up.schedule';
import { followUpActive, slaDueAt } from '../domain/lead-timers.rules';
import { leadSearchAttributes } from '../temporal/search-attributes';
import { guarded } from './activity-failure.step';
import { SEARCH_ATTRIBUTES_ON_CHANGE_PATCH } from './lead.patches';
import { dataStep } from './lead.proxies';
import type { LeadRun } from './lead.run';

/** Writes the read model (Postgres) and what ops see in the Temporal UI. */
export async function persist(run: LeadRun): Promise<void> {
  run.dirty = false;
  const s = run.state;
  // Search attributes go with the same workflow task, so they are current before the read model is.
  publishState(run);
  await guarded(run, 'persistProjection', 'The lead list may show an older state of this lead', () =>
    dataStep(run, 'persistProjection')({
      leadId: s.leadId,
      stage: s.stage,
      profile: s.profile,
      qualification: s.qualification,
      ownerId: s.ownerId,
      lastMessageAt: s.lastInboundAt,
      nextFollowUpAt: followUpActive(s) ? s.followUp.dueAt : null,
      slaDueAt: slaDueAt(s),
      qualificationBy: s.qualificationOverride?.by ?? null,
    }),
  );
}

/** Search attributes and the run's current details: what ops read in the Temporal Web UI. */
export function publishState(run: Pick<LeadRun, 'state' | 'has'>): void {
  const state = run.state;
  const wanted = leadSearchAttributes(state);
  const current = workflowInfo().typedSearchAttributes;
  const unchanged = wanted.every((pair) => (current.get(pair.key) ?? null) === (pair.value ?? null));
  // Histories recorded before the patch upserted every time: they replay the same way.
  if (!(unchanged && run.has(SEARCH_ATTRIBUTES_ON_CHANGE_PATCH))) upsertSearchAttributes(wanted);
  const score = state.qualification ? `${state.qualification.score}/100` : 'not scored';
  const h = state.handoff;
  const handoff =
    h.status === 'offered'
      ? `offered to ${h.offeredTo}, claim by ${h.slaDueAt} (escalation ${h.escalations}/${state.settings.maxEscalations})`
      : h.status === 'pool'
        ? 'in the shared pool (unclaimed)'
        : h.status === 'claimed'
          ? `claimed (${h.reason})`
          : h.status;
  const followUp = followUpActive(state) && state.followUp.dueAt ? `${state.followUp.dueAt} (nudge ${state.followUp.step + 1} of ${followUpOffsets(state.settings.followUp).length})` : 'none';
  const openTasks = state.tasks.filter((t) => !t.completedAt);
  setCurrentDetails(
    [
      `**Stage:** ${state.stage}`,
      `**Score:** ${score}`,
      `**Owner:** ${state.ownerId ?? 'AI'}`,
      `**Handoff:** ${handoff}`,
      `**SLA due:** ${slaDueAt(state) ?? '—'}`,
      `**Next follow-up:** ${followUp}`,
      `**Open tasks:** ${openTasks.length}`,
      `**Turns:** ${state.turns}`,
      ...(state.optedOut ? ['**Opted out**'] : []),
      `**Alerts:** ${state.alerts}`,
      `**Run:** ${state.generation}`,
    ].join('\n\n'),
  );
}
