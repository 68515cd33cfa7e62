import { allHandlersFinished, condition, continueAsNew, log, workflowInfo } from '@temporalio/workflow';
import { applyOptOut, eraseState, loadSettings, nextGeneration } from '../domain/lead-state.commands';
import { DEFAULT_SETTINGS, initialLeadState, migrateState } from '../domain/lead-state.model';
import { refreshFollowUp } from '../domain/lead-follow-up.commands';
import { nextTimerAt } from '../domain/lead-timers.rules';
import { guarded } from './activity-failure.step';
import { runAgentTurn } from './agent-turn.step';
import { recordAudit, runEffects } from './broker-effects.step';
import { routeHandoff } from './handoff.step';
import { takeInbound } from './inbound.step';
import { callAfterFailedDelivery } from './lead-actions.step';
import { installHandlers } from './lead.handlers';
import { PATCH_FOLD, patchGate } from './lead.patches';
import { dataStep } from './lead.proxies';
import { LeadRun, type LeadWorkflowInput } from './lead.run';
import { persist, publishState } from './projection.step';
import { fireDueTimers } from './timers.step';

// A lead's workflow: one ordered loop per run. Handlers (lead.handlers.ts) validate commands,
// apply them to the state and queue their side effects; the loop below does all the I/O, in
// order, through the steps (*.step.ts), and sleeps until a message, a command or the nearest
// due-at in the state. docs/decisions/004-workflow-per-lead.md says how to change it safely.

export type { LeadWorkflowInput } from './lead.run';

const nowIso = () => new Date(Date.now()).toISOString();

export async function leadWorkflow(input: LeadWorkflowInput): Promise<void> {
  const has = patchGate(input.patchFold);
  const state = input.state
    ? migrateState(input.state)
    : initialLeadState({ leadId: input.leadId, market: input.market, channel: input.channel, createdAt: input.createdAt });
  const run = new LeadRun(input, state, has);
  installHandlers(run);

  // Settings once per lead (durations, the contact's time zone), then the loop.
  if (!run.state.settingsLoaded) {
    const context = await guarded(run, 'loadLeadContext', "The lead's settings could not be read; it runs on the defaults", () => dataStep(run, 'loadLeadContext')({ leadId: run.state.leadId }));
    run.apply(loadSettings(run.state, { settings: { ...(context?.value.settings ?? DEFAULT_SETTINGS), ...input.settings } }));
    run.dirty = false;
  }
  publishState(run);

  for (;;) {
    if (run.requests.erase) {
      run.apply(eraseState(run.state, { at: nowIso() }));
      await persist(run);
      log.info('lead erased; run ends');
      return;
    }
    if (run.requests.optOut) {
      run.requests.optOut = false;
      run.apply(applyOptOut(run.state));
    }
    if (run.inbox.length > 0) await takeInbound(run);
    if (run.requests.turn) {
      run.requests.turn = false;
      if (!run.state.ownerId && !run.state.optedOut) await runAgentTurn(run, []);
    }
    if (run.requests.deliveryFailed) {
      run.requests.deliveryFailed = false;
      await callAfterFailedDelivery(run);
    }
    await runEffects(run);
    await recordAudit(run);
    await fireDueTimers(run);
    if (run.state.handoff.status === 'routing') await routeHandoff(run);
    const followUp = refreshFollowUp(run.state);
    if (followUp.changed) run.apply(followUp);
    if (run.dirty) await persist(run);

    if (run.idle() && continueAsNewDue(run) && allHandlersFinished()) {
      run.apply(nextGeneration(run.state));
      log.info('continuing as new', { generation: run.state.generation, historyLength: workflowInfo().historyLength });
      await continueAsNew<typeof leadWorkflow>({
        leadId: input.leadId,
        market: input.market,
        channel: input.channel,
        createdAt: input.createdAt,
        coalesceMs: input.coalesceMs,
        state: run.state,
        pendingInbound: run.inbox.splice(0),
        patchFold: PATCH_FOLD,
      });
    }

    const wake = () => !run.idle();
    const next = nextTimerAt(run.state);
    if (next === null) await condition(wake);
    else await condition(wake, Math.max(1, next - Date.now()));
  }
}

function continueAsNewDue(run: LeadRun): boolean {
  const info = workflowInfo();
  const limit = run.state.settings.continueAsNewAfterEvents;
  return info.continueAsNewSuggested || (limit > 0 && info.historyLength >= limit);
}
