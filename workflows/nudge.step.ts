import { nudge } from '../domain/lead-follow-up.commands';
import { guarded } from './activity-failure.step';
import { deliverReply } from './lead.proxies';
import type { LeadRun } from './lead.run';

/** The follow-up came due: a nudge goes out (or moves past quiet hours, when the timer was late). */
export async function sendNudge(run: LeadRun, nowMs: number): Promise<void> {
  const { send } = run.apply(nudge(run.state, { nowMs }));
  if (!send) return;
  await guarded(run, 'deliverReply', `Follow-up ${send.n} was not delivered`, () =>
    deliverReply({ leadId: run.state.leadId, channel: run.state.channel, text: send.text, idempotencyKey: `${run.wfId}:nudge:${send.n}`, inReplyTo: [], nudgeStep: send.step }),
  );
}
