import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, ApplicationFailure } from '@temporalio/client';
import { SEED_BROKERS } from '../../db/seeders/database.seeder';
import { LeadStageKey, OwnerIdKey } from '../../temporal/search-attributes';
import { startHarness, eventually, type Harness } from '../support/harness';
import { maybeRecordHistory } from '../replay/history-file';
import { inbound, leadRow, post, startLead, stateOf, timeline, waitForState, type TestLead } from './lead-support';

// Broker commands through the HTTP API: claim, release, stage moves, manual qualification,
// tasks and broker messages; and the handoff a lead asks for. Every command is a validated
// workflow update; rejected ones leave the state exactly as it was.

const brokerIds = SEED_BROKERS.map((b) => b.id);

describe('lead commands (updates) through the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  async function engagedLead(text = 'Hi, looking for a 2 bed apartment in Dubai Marina'): Promise<TestLead> {
    const lead = await startLead(h, { first: text });
    await waitForState(lead, (s) => s.turns === 1, 'the first agent turn');
    return lead;
  }

  it('hands off when the lead asks for a person; a claim silences the AI, the broker writes, release hands back', async () => {
    const lead = await startLead(h, { first: 'Hello, can I talk to a person please?' });
    const offered = await waitForState(lead, (s) => s.handoff.status === 'offered', 'the handoff offer');
    expect(offered.handoff.reason).toBe('asked_for_human');
    expect(offered.stage).toBe('handoff');
    expect(brokerIds).toContain(offered.handoff.offeredTo);
    const offerRows = await eventually(async () => {
      const rows = await timeline(h, lead.leadId, 'handoff');
      return rows.length > 0 ? rows : undefined;
    }, 'the handoff on the timeline');
    expect(offerRows[0]!.meta?.brokerId).toBe(offered.handoff.offeredTo);
    await eventually(async () => ((await leadRow(h, lead.leadId)).sla_due_at ? true : undefined), 'the SLA in the projection');

    // Someone other than the offered broker may claim first.
    const claimer = brokerIds.find((b) => b !== offered.handoff.offeredTo)!;
    const claim = await post(h, `/leads/${lead.leadId}/claim`, { brokerId: claimer });
    expect(claim.status).toBe(200);
    expect(claim.json.lead).toMatchObject({ ownerId: claimer, stage: 'claimed', handoff: { status: 'claimed', slaDueAt: null } });
    await eventually(async () => {
      const row = await leadRow(h, lead.leadId);
      return row.owner_id === claimer && row.status === 'claimed' && row.sla_due_at === null ? row : undefined;
    }, 'the claim in the projection');
    await eventually(async () => {
      const d = await lead.handle.describe();
      return d.typedSearchAttributes.get(OwnerIdKey) === claimer && d.typedSearchAttributes.get(LeadStageKey) === 'claimed' ? true : undefined;
    }, 'the owner search attribute');

    // The lead writes: recorded, no AI answer, the owner's reply clock starts.
    await lead.handle.signal('inbound', inbound('Are you there?'));
    const waiting = await waitForState(lead, (s) => s.transcript.some((t) => t.text === 'Are you there?') && s.brokerReply.dueAt !== null, 'the message while claimed');
    expect(waiting.turns).toBe(1);
    expect(waiting.transcript.filter((t) => t.from === 'agent')).toHaveLength(1);

    const sent = await post(h, `/leads/${lead.leadId}/messages`, { text: 'Hi, this is your consultant. When can we talk?' });
    expect(sent.status).toBe(201);
    const message = sent.json.message as { messageId: string; status: string };
    expect(message.messageId).toBe(`${lead.workflowId}:broker:1`);
    const afterMessage = await stateOf(lead);
    expect(afterMessage.transcript[afterMessage.transcript.length - 1]).toMatchObject({ from: 'broker', text: 'Hi, this is your consultant. When can we talk?' });
    expect(afterMessage.brokerReply.dueAt).toBeNull();
    const out = (await timeline(h, lead.leadId, 'message')).filter((r) => r.direction === 'out');
    expect(out.map((r) => r.actor)).toEqual(['agent', 'broker']);
    expect(out[1]!.idempotency_key).toBe(message.messageId);

    const release = await post(h, `/leads/${lead.leadId}/release`);
    expect(release.status).toBe(200);
    expect(release.json.lead).toMatchObject({ ownerId: null, stage: 'engaged' });
    await lead.handle.signal('inbound', inbound('I want to buy a villa in Arabian Ranches'));
    const answered = await waitForState(lead, (s) => s.turns === 2, 'the AI answering again after release');
    expect(answered.transcript[answered.transcript.length - 1]!.from).toBe('agent');
    await maybeRecordHistory(lead.handle, 'handoff-claim-release', h.encryption.codec);
  });

  it('answers a message the broker left unanswered as soon as the lead is released', async () => {
    const lead = await engagedLead();
    expect((await post(h, `/leads/${lead.leadId}/claim`, { brokerId: 'broker-james' })).status).toBe(200);
    await lead.handle.signal('inbound', inbound('Hello? Anyone?'));
    await waitForState(lead, (s) => s.transcript[s.transcript.length - 1]?.text === 'Hello? Anyone?', 'the unanswered message');
    expect((await post(h, `/leads/${lead.leadId}/release`)).status).toBe(200);
    const s = await waitForState(lead, (x) => x.turns >= 2 && x.transcript[x.transcript.length - 1]!.from === 'agent', 'the AI picking the conversation up');
    // One answer, not one per path (the release and the recorded message race in the workflow).
    await new Promise((r) => setTimeout(r, 1000));
    const settled = await stateOf(lead);
    expect(settled.turns).toBe(2);
    expect(settled.transcript.map((t) => t.from)).toEqual(['lead', 'agent', 'lead', 'agent']);
    expect(s.ownerId).toBeNull();
  });

  it('erases personal data from the workflow state on the erase signal and ends the run', async () => {
    const lead = await engagedLead('Hi, I am Omar, looking for a 2 bed in Dubai Marina, budget 2M AED');
    const dueAt = new Date(Date.now() + 3_600_000).toISOString();
    expect((await post(h, `/leads/${lead.leadId}/tasks`, { title: 'Call Omar back', dueAt })).status).toBe(201);
    await lead.handle.signal('erase');
    await lead.handle.result();
    const s = await stateOf(lead);
    expect(s.erasedAt).not.toBeNull();
    expect(s.transcript.length).toBe(2);
    expect(s.transcript.every((t) => t.text === '[erased]')).toBe(true);
    expect(s.profile.areas).toEqual([]);
    expect(s.tasks[0]!.title).toBe('[erased]');
    expect(JSON.stringify(s)).not.toMatch(/Omar|Marina/);
    const profile = await h.orm.em.fork().getConnection().execute<{ areas: string[]; budget_max: string | null }[]>('select areas, budget_max from lead_profiles where lead_id = ?', [lead.leadId]);
    expect(profile[0]).toMatchObject({ areas: [], budget_max: null });
    const after = await post(h, `/leads/${lead.leadId}/stage`, { stage: 'lost', reason: 'gone' });
    expect(after.status).toBe(409);
    expect(after.json.error?.code).toBe('workflow_not_running');
  });

  it('rejects invalid commands with a clear message and changes nothing', async () => {
    const lead = await engagedLead();
    // The turn is over once the loop has planned the next nudge (the reply goes out before that).
    const before = await waitForState(lead, (s) => s.followUp.dueAt !== null, 'the end of the first turn');
    expect(before.stage).toBe('engaged');

    const won = await post(h, `/leads/${lead.leadId}/stage`, { stage: 'won', reason: 'skipping ahead' });
    expect(won.status).toBe(409);
    expect(won.json.error).toMatchObject({ code: 'invalid_transition', message: 'A lead in stage engaged cannot move to won' });
    expect(won.json.error?.details).toMatchObject({ from: 'engaged', to: 'won' });

    const toClaimed = await post(h, `/leads/${lead.leadId}/stage`, { stage: 'claimed', reason: 'mine' });
    expect(toClaimed.status).toBe(409);
    expect(toClaimed.json.error?.message).toContain('claim');

    const unknownBroker = await post(h, `/leads/${lead.leadId}/claim`, { brokerId: 'broker-nobody' });
    expect(unknownBroker.status).toBe(404);
    expect(unknownBroker.json.error).toMatchObject({ code: 'unknown_broker', message: 'No active broker broker-nobody' });

    const past = await post(h, `/leads/${lead.leadId}/tasks`, { title: 'Call back', dueAt: new Date(Date.now() - 60_000).toISOString(), assignee: 'broker-amina' });
    expect(past.status).toBe(422);
    expect(past.json.error?.code).toBe('task_due_in_past');
    expect(past.json.error?.message).toMatch(/must be due in the future/);

    const noTask = await post(h, `/leads/${lead.leadId}/tasks/no-such-task/complete`);
    expect(noTask.status).toBe(404);
    expect(noTask.json.error?.code).toBe('task_not_found');

    const release = await post(h, `/leads/${lead.leadId}/release`);
    expect(release.status).toBe(409);
    expect(release.json.error?.code).toBe('not_claimed');

    const message = await post(h, `/leads/${lead.leadId}/messages`, { text: 'hello' });
    expect(message.status).toBe(409);
    expect(message.json.error?.code).toBe('not_claimed');

    const badBody = await post(h, `/leads/${lead.leadId}/stage`, { stage: 'somewhere' });
    expect(badBody.status).toBe(400);
    expect(badBody.json.error?.code).toBe('bad_request');

    // Straight to the workflow (no API pre-check): the unknown broker is refused by the update itself.
    const direct = await lead.handle.executeUpdate('claim', { args: [{ brokerId: 'broker-ghost' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(direct).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (direct as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('unknown_broker');

    // Validator rejections never reach history: no update was accepted except the direct claim.
    const history = await lead.handle.fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(1);
    expect(await stateOf(lead)).toEqual(before);
  });

  it('qualifies by hand, moves through the pipeline, keeps tasks, and keeps the projection in step', async () => {
    const lead = await engagedLead();
    const qualify = await post(h, `/leads/${lead.leadId}/qualify`, { qualified: true, score: 77, reason: 'Met at the open house, cash buyer', by: 'broker-amina' });
    expect(qualify.status).toBe(200);
    expect(qualify.json.lead).toMatchObject({ qualified: true, score: 77 });
    const handedOff = await waitForState(lead, (s) => s.handoff.status === 'offered', 'the handoff after manual qualification');
    expect(handedOff.handoff.reason).toBe('qualified');
    expect(handedOff.qualificationOverride).toMatchObject({ qualified: true, score: 77, by: 'broker-amina' });
    const manual = await eventually(async () => {
      const rows = await h.orm.em.fork().getConnection().execute<{ score: number; source: string; by: string | null }[]>(
        'select score, source, by from qualifications where lead_id = ? order by created_at desc limit 1',
        [lead.leadId],
      );
      return rows[0]?.source === 'manual' ? rows[0] : undefined;
    }, 'the manual qualification row');
    expect(manual).toMatchObject({ score: 77, by: 'broker-amina' });

    // The manual score survives the next agent turn.
    await lead.handle.signal('inbound', inbound('Also need parking'));
    const later = await waitForState(lead, (s) => s.turns === 2, 'the next turn');
    expect(later.qualification).toMatchObject({ qualified: true, score: 77 });

    expect((await post(h, `/leads/${lead.leadId}/claim`, { brokerId: 'broker-amina' })).status).toBe(200);
    await eventually(async () => ((await leadRow(h, lead.leadId)).status === 'claimed' ? true : undefined), 'claimed in the projection');
    const viewing = await post(h, `/leads/${lead.leadId}/stage`, { stage: 'viewing', reason: 'Viewing booked for Saturday' });
    expect(viewing.status).toBe(200);
    expect(viewing.json.lead).toMatchObject({ stage: 'viewing', nextFollowUpAt: null });
    await eventually(async () => ((await leadRow(h, lead.leadId)).status === 'viewing' ? true : undefined), 'viewing in the projection');

    const dueAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await post(h, `/leads/${lead.leadId}/tasks`, { title: 'Send the floor plans', dueAt });
    expect(created.status).toBe(201);
    const task = created.json.task as { id: string; assignee: string | null; dueAt: string; completedAt: string | null };
    expect(task).toMatchObject({ assignee: 'broker-amina', dueAt, completedAt: null });
    const taskRow = await h.orm.em.fork().getConnection().execute<{ title: string; completed_at: Date | null }[]>('select title, completed_at from tasks where id = ?', [task.id]);
    expect(taskRow).toEqual([{ title: 'Send the floor plans', completed_at: null }]);

    const done = await post(h, `/leads/${lead.leadId}/tasks/${task.id}/complete`);
    expect(done.status).toBe(200);
    expect((done.json.task as { completedAt: string | null }).completedAt).not.toBeNull();
    const again = await post(h, `/leads/${lead.leadId}/tasks/${task.id}/complete`);
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe('task_completed');
    const completedRow = await h.orm.em.fork().getConnection().execute<{ completed_at: Date | null }[]>('select completed_at from tasks where id = ?', [task.id]);
    expect(completedRow[0]!.completed_at).not.toBeNull();

    expect((await post(h, `/leads/${lead.leadId}/stage`, { stage: 'won', reason: 'Signed the SPA' })).status).toBe(200);
    const reopen = await post(h, `/leads/${lead.leadId}/stage`, { stage: 'lost', reason: 'oops' });
    expect(reopen.status).toBe(409);
    await eventually(async () => {
      const row = await leadRow(h, lead.leadId);
      return row.status === 'won' && row.owner_id === 'broker-amina' && row.score === 77 && row.qualified && row.next_follow_up_at === null ? row : undefined;
    }, 'the projection at won');
    const d = await lead.handle.describe();
    expect(d.typedSearchAttributes.get(LeadStageKey)).toBe('won');
    const transitions = (await timeline(h, lead.leadId, 'status_change')).map((r) => (r.meta as { to: string }).to);
    // The commands' own moves; 'engaged' (the AI's, before them) may be folded into the first projection.
    expect(transitions).toEqual(expect.arrayContaining(['handoff', 'claimed', 'viewing', 'won']));
  });
  it('records the actor a command names, in the state and on the timeline', async () => {
    const lead = await engagedLead();
    const actor = { id: 'user-17', role: 'manager' as const, name: 'Mona Manager' };
    await lead.handle.executeUpdate('moveStage', { args: [{ stage: 'nurture', reason: 'not ready before March', actor }] });
    const dueAt = new Date(Date.now() + 3_600_000).toISOString();
    await lead.handle.executeUpdate('addTask', { args: [{ title: 'Call in March', dueAt, assignee: 'broker-amina', actor }] });
    // Through the API the caller is always named: here the machine token, as the system actor.
    expect((await post(h, `/leads/${lead.leadId}/stage`, { stage: 'engaged', reason: 'wrote back' })).status).toBe(200);
    const machine = { id: 'api-token', role: 'system', name: 'API client' };

    const s = await stateOf(lead);
    expect(s.commands.map((c) => [c.command, c.by])).toEqual([
      ['moveStage', actor],
      ['addTask', actor],
      ['moveStage', machine],
    ]);
    const notes = await eventually(async () => {
      const rows = await timeline(h, lead.leadId, 'note');
      return rows.length >= 3 ? rows : undefined;
    }, 'the commands on the timeline');
    expect(notes).toHaveLength(3);
    expect(notes.map((n) => n.meta?.by)).toEqual([actor, actor, machine]);
    expect(notes.map((n) => n.idempotency_key)).toEqual([`${lead.workflowId}:command:1`, `${lead.workflowId}:command:2`, `${lead.workflowId}:command:3`]);
    expect(notes[0]!.body).toBe('Stage engaged → nurture: not ready before March');

    const bad = await lead.handle.executeUpdate('release', { args: [{ actor: { id: 'x', role: 'owner' } }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(((bad as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('invalid_input');
  });
});
