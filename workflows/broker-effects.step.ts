import type { LeadTask } from '../domain/lead-state.model';
import { guarded } from './activity-failure.step';
import { deliverReply, recordLeadEvent, saveTask } from './lead.proxies';
import type { BrokerMessageResult } from './lead.messages';
import type { LeadRun } from './lead.run';

/** Runs the side effects broker commands queued (send their message, store a task) and hands each its result. */
export async function runEffects(run: LeadRun): Promise<void> {
  while (run.effects.length > 0) {
    const effect = run.effects.shift()!;
    if (effect.kind === 'save_task') {
      const task: LeadTask = effect.task;
      await guarded(run, 'saveTask', 'A task was not stored (the lead keeps it)', () => saveTask({ leadId: run.state.leadId, task }));
      run.settle(effect.id, task);
      continue;
    }
    const key = `${run.wfId}:broker:${effect.n}`;
    if (run.state.optedOut) {
      // The lead opted out after the message was accepted: it must not go out.
      run.settle(effect.id, { messageId: key, status: 'suppressed_opted_out' } satisfies BrokerMessageResult);
      continue;
    }
    const sent = await guarded(run, 'deliverReply', "A broker's message was not delivered", () =>
      deliverReply({ leadId: run.state.leadId, channel: run.state.channel, text: effect.text, idempotencyKey: key, inReplyTo: [], actor: 'broker' }),
    );
    run.settle(effect.id, { messageId: key, status: sent ? sent.value.status : 'failed' } satisfies BrokerMessageResult);
  }
}

/** Commands that named their actor go on the lead's timeline, with who gave them. */
export async function recordAudit(run: LeadRun): Promise<void> {
  while (run.audit.length > 0) {
    const record = run.audit.shift()!;
    await guarded(run, 'recordLeadEvent', 'A command is missing from the timeline', () =>
      recordLeadEvent({
        leadId: run.state.leadId,
        type: 'note',
        body: record.summary,
        idempotencyKey: `${run.wfId}:command:${record.seq}`,
        brokerId: null,
        by: record.by ?? undefined,
        meta: { kind: 'command', command: record.command, seq: record.seq },
      }),
    );
  }
}
