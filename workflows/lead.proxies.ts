import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { LeadActivities } from '../activities/lead.activities';
import type { ReferralActivities } from '../activities/referral.activities';
import { FAST_REPLY_PATCH, LOCAL_HANDOFF_EVENTS_PATCH, LOCAL_ROUTING_PATCH } from './lead.patches';
import type { LeadRun } from './lead.run';

// The lead workflow's activities and their retry policies. Nothing retries for ever: after the
// last attempt the step that called records an alert on the lead and the lead goes on
// (activity-failure.step.ts). Errors about the data itself fail at once (the worker's
// activities/data-error.guard.ts marks them non-retryable, whatever their type).

/** Error types no retry can fix: the lead or a row is gone, or the input is malformed. */
export const DATA_ERROR_TYPES = [
  'LeadNotFound',
  'NotFoundError',
  'ZodError',
  'ValidationError',
  'ForeignKeyConstraintViolationException',
  'NotNullConstraintViolationException',
  'CheckConstraintViolationException',
];

export const { agentTurn } = proxyActivities<LeadActivities>({
  // The agent's own budget is 60 s and 10 tool calls; heartbeats let a dead worker be noticed fast.
  // Two failed attempts (error, time limit) and the lead goes to a person instead.
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { maximumAttempts: 2, initialInterval: '1 second', nonRetryableErrorTypes: DATA_ERROR_TYPES },
});

// Postgres, Redis and the channels: ride out a restart or a short outage (about 10 minutes),
// then give up and alert rather than hold the lead's loop for ever.
const DATA_STEP = {
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 30, nonRetryableErrorTypes: DATA_ERROR_TYPES },
} as const;

export const { recordInbound, deliverReply, persistProjection, loadLeadContext, checkBroker, routeLead, recordLeadEvent, saveTask, remindTask, requestErasure } =
  proxyActivities<LeadActivities>(DATA_STEP);

/**
 * The short data steps around a reply, as local activities from FAST_REPLY_PATCH on (#13): same
 * bounds as their normal twins (retries past 10 s wait on a timer, not in the task).
 */
const local = proxyLocalActivities<LeadActivities>({ ...DATA_STEP, localRetryThreshold: '10 seconds' });

const remote = { loadLeadContext, recordInbound, persistProjection };

/** The step as this run issues it: local from FAST_REPLY_PATCH on. */
export function dataStep<K extends keyof typeof remote>(run: Pick<LeadRun, 'has'>, name: K): (typeof remote)[K] {
  return run.has(FAST_REPLY_PATCH) ? local[name] : remote[name];
}

/** The round-robin pick as this run issues it: local from LOCAL_ROUTING_PATCH on. */
export function routeStep(run: Pick<LeadRun, 'has'>): typeof routeLead {
  return run.has(LOCAL_ROUTING_PATCH) ? local.routeLead : routeLead;
}

/** A handoff's timeline entry (offer, missed claim, pool) as this run writes it: local from LOCAL_HANDOFF_EVENTS_PATCH on. */
export function handoffEventStep(run: Pick<LeadRun, 'has'>): typeof recordLeadEvent {
  return run.has(LOCAL_HANDOFF_EVENTS_PATCH) ? local.recordLeadEvent : recordLeadEvent;
}

/** Only past FAST_REPLY_PATCH (the turn then leaves the memory write to it). */
export const { rememberTurn } = local;

export const { intakeReferral } = proxyActivities<ReferralActivities>({ ...DATA_STEP, startToCloseTimeout: '30 seconds' });
