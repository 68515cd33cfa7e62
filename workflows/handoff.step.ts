import { log } from '@temporalio/workflow';
import { escalateHandoff, offerHandoff, requestHandoff, sendHandoffToPool } from '../domain/lead-handoff.commands';
import { raiseAlert } from '../domain/lead-state.commands';
import type { HandoffReason } from '../domain/lead-state.model';
import { guarded } from './activity-failure.step';
import { handoffEventStep, routeStep } from './lead.proxies';
import type { LeadRun } from './lead.run';

const nowIso = () => new Date(Date.now()).toISOString();

/** Asks for a person (the loop routes it next); a no-op while a handoff runs or a broker owns the lead. */
export function handOff(run: LeadRun, reason: HandoffReason): void {
  const { started } = run.apply(requestHandoff(run.state, { reason, at: nowIso() }));
  if (started) log.info('handoff requested', { reason, seq: run.state.handoff.seq });
}

/** Picks the next broker round robin and offers them the lead, or sends it to the shared pool. */
export async function routeHandoff(run: LeadRun): Promise<void> {
  const seq = run.state.handoff.seq;
  const routed = await guarded(run, 'routeLead', 'No broker could be picked; the lead is in the shared pool', () =>
    routeStep(run)({ leadId: run.state.leadId, exclude: run.state.handoff.tried }),
  );
  // A claim (or opt-out) may have landed while routing ran; then the pick is moot.
  if (run.state.handoff.status !== 'routing' || run.state.handoff.seq !== seq) return;
  if (!routed) {
    // Routing itself failed for good (already alerted): anyone may claim, and the loop stops routing.
    run.apply(sendHandoffToPool(run.state));
    return;
  }
  const { brokerId } = routed.value;
  if (brokerId) {
    run.apply(offerHandoff(run.state, { brokerId, nowMs: Date.now() }));
    const h = run.state.handoff;
    await guarded(run, 'recordLeadEvent', 'The handoff offer is missing from the timeline', () =>
      handoffEventStep(run)({
        leadId: run.state.leadId,
        type: 'handoff',
        body: `Handed to ${brokerId} (${h.reason}); claim by ${h.slaDueAt}`,
        idempotencyKey: `${run.wfId}:handoff:${seq}:offer:${h.tried.length}`,
        brokerId,
        meta: { reason: h.reason, slaDueAt: h.slaDueAt, attempt: h.tried.length, escalations: h.escalations },
      }),
    );
  } else {
    run.apply(sendHandoffToPool(run.state));
    await raisePoolAlert(run, seq, 'no broker is available');
  }
}

async function raisePoolAlert(run: LeadRun, seq: number, why: string): Promise<void> {
  run.apply(raiseAlert(run.state));
  const h = run.state.handoff;
  await guarded(run, 'recordLeadEvent', 'The unclaimed-lead alert is missing from the timeline', () =>
    handoffEventStep(run)({
      leadId: run.state.leadId,
      type: 'alert',
      body: `Lead unclaimed (${why}); it is in the shared pool for any broker to claim`,
      idempotencyKey: `${run.wfId}:handoff:${seq}:pool`,
      brokerId: null,
      meta: { kind: 'handoff_unclaimed', reason: h.reason, tried: h.tried, escalations: h.escalations },
    }),
  );
}

/** The named broker's claim SLA ran out: the next broker, or the pool with an alert. */
export async function fireHandoffSla(run: LeadRun, nowMs: number): Promise<void> {
  const before = run.state.handoff;
  if (before.status !== 'offered' || !before.slaDueAt || Date.parse(before.slaDueAt) > nowMs) return;
  const missed = before.offeredTo;
  const seq = before.seq;
  const attempt = before.tried.length;
  const { outcome } = run.apply(escalateHandoff(run.state));
  const { escalations } = run.state.handoff;
  await guarded(run, 'recordLeadEvent', 'A missed claim is missing from the timeline', () =>
    handoffEventStep(run)({
      leadId: run.state.leadId,
      type: 'handoff',
      body: `${missed} did not claim within the SLA (escalation ${escalations} of ${run.state.settings.maxEscalations})`,
      idempotencyKey: `${run.wfId}:handoff:${seq}:missed:${attempt}`,
      brokerId: missed,
      meta: { escalation: escalations, outcome },
    }),
  );
  // A claim may have landed while the miss was being recorded.
  const now = run.state.handoff;
  if (outcome === 'pool' && now.status === 'pool' && now.seq === seq) await raisePoolAlert(run, seq, `${now.escalations} brokers missed the claim SLA`);
}
