import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rankUnits } from './inventory.matcher';
import { Unit } from './profile.schema';
import { createOfflineAgent } from './agent/offline.agent';
import type { AgentTools, ConversationMessage } from './agent.types';
import type { InboundMessage } from './inbound-message.schema';
import { CALL_INSTEAD_TASK, needsCallAfterFailedDelivery, planActions, recordOwnReply } from './lead-action.commands';
import { handoffReasonFor } from './lead-handoff.commands';
import { detectLeadActions } from './lead-intent.detector';
import { acceptInbound, addTask, applyAgentResult, claimLead } from './lead-state.commands';
import { T0, iso, lead, msg, qual, result } from './lead-state.fixtures';

const ctx = { nowMs: T0, timeZone: 'UTC' };

describe('planActions', () => {
  it('a viewing with a time: a task due then and a viewing handoff; the agent still answers', () => {
    const fresh = [msg('m1', 'Saturday 11am works for the viewing')];
    const p = planActions(lead(), { actions: detectLeadActions(fresh, ctx), fresh, nowMs: T0 });
    expect(p.tasks).toEqual([{ title: 'Viewing requested for Sat 10 Jan 11:00 (UTC): confirm with the lead', dueAt: '2026-01-10T11:00:00.000Z' }]);
    expect(p.handoff).toBe('viewing_request');
    expect(p.withoutAgent).toBeNull();
  });

  it('a viewing without a time is due within the claim SLA', () => {
    const fresh = [msg('m1', 'Can I book a viewing?')];
    const p = planActions(lead(), { actions: detectLeadActions(fresh, ctx), fresh, nowMs: T0 });
    expect(p.tasks[0]!.dueAt).toBe(iso(T0 + lead().settings.slaMs));
  });

  it('a removed reaction is answered by nothing; an unsupported message by the ask for text in the lead’s language', () => {
    const removed = [{ ...msg('m1', '[removed a reaction]'), kind: 'reaction' as const, reaction: { messageId: 'w' } }];
    expect(planActions(lead(), { actions: detectLeadActions(removed, ctx), fresh: removed, nowMs: T0 }).withoutAgent).toEqual({ reply: null });
    const odd = [{ ...msg('m2', '[unsupported message: poll]'), kind: 'unsupported' as const }];
    expect(planActions(lead(), { actions: detectLeadActions(odd, ctx), fresh: odd, nowMs: T0 }).withoutAgent?.reply).toMatch(/^Sorry, I can't open/);
    const arabic = acceptInbound(lead(), { messages: [msg('m0', 'مرحبا، أبحث عن شقة في دبي')] }).state;
    expect(planActions(arabic, { actions: detectLeadActions(odd, ctx), fresh: odd, nowMs: T0 }).withoutAgent?.reply).toMatch(/^عذراً/);
  });

  it('a referred lead and a Lead Ads lead we could not fetch go to a person, the AI silent', () => {
    const referred = [{ ...msg('m1', '[referred]'), kind: 'referral' as const }];
    expect(planActions(lead(), { actions: detectLeadActions(referred, ctx), fresh: referred, nowMs: T0 })).toMatchObject({ handoff: 'referral', withoutAgent: { reply: null } });
    const note = [{ ...msg('m1', '[Lead Ads lead 1: its answers could not be fetched]'), kind: 'system' as const }];
    expect(planActions(lead(), { actions: detectLeadActions(note, ctx), fresh: note, nowMs: T0 })).toMatchObject({ handoff: 'unreachable', withoutAgent: { reply: null } });
  });

  it('recordOwnReply puts the reply in the transcript under the next turn', () => {
    const { state, turn } = recordOwnReply(lead(), { text: 'Please send text', id: 'r1', at: iso(T0) });
    expect(turn).toBe(1);
    expect(state.transcript.at(-1)).toMatchObject({ from: 'agent', text: 'Please send text' });
  });
});

describe('the action plan, from the lead’s words to the broker’s tasks, in the lead’s zone (Asia/Dubai)', () => {
  // T0 is Saturday 10 Jan 2026, 14:00 in Dubai (UTC+4)
  const dubai = { nowMs: T0, timeZone: 'Asia/Dubai' };
  const plan = (fresh: InboundMessage[]) => planActions(lead(), { actions: detectLeadActions(fresh, dubai), fresh, nowMs: T0 });

  it('a viewing request with a proposed time: a viewing handoff and a task due at that time in the lead’s zone', () => {
    const p = plan([msg('m1', 'Can we do the viewing on Monday at 11am?')]);
    expect(p.handoff).toBe('viewing_request');
    expect(p.tasks).toEqual([{ title: 'Viewing requested for Mon 12 Jan 11:00 (Asia/Dubai): confirm with the lead', dueAt: '2026-01-12T07:00:00.000Z' }]);
    expect(p.withoutAgent).toBeNull();
    // the same words in Arabic
    expect(plan([msg('m2', 'ممكن معاينة الشقة يوم الاثنين الساعة 11 صباحا')]).tasks[0]!.dueAt).toBe('2026-01-12T07:00:00.000Z');
  });

  it('a tapped "Book a viewing" button hands off with a task to agree a time, due within the claim SLA', () => {
    const tapped = [{ ...msg('m1', 'Book a viewing'), kind: 'button' as const, selection: { id: 'BOOK_VIEWING', title: 'Book a viewing' } }];
    const p = plan(tapped);
    expect(p.handoff).toBe('viewing_request');
    expect(p.tasks).toEqual([{ title: 'Viewing requested: agree a time with the lead', dueAt: iso(T0 + lead().settings.slaMs) }]);
  });

  it('"call me after 6pm" makes a call task at 18:00 in the lead’s zone and a callback handoff', () => {
    const p = plan([msg('m1', 'Busy now, please call me after 6pm')]);
    expect(p.handoff).toBe('callback_request');
    expect(p.tasks).toEqual([{ title: 'Call the lead after Sat 10 Jan 18:00 (Asia/Dubai)', dueAt: '2026-01-10T14:00:00.000Z' }]);
    expect(p.withoutAgent).toBeNull();
    // Hinglish: "tomorrow evening at 6" is Sunday 18:00 in Dubai
    expect(plan([msg('m2', 'kal shaam 6 baje call karo')]).tasks[0]!.dueAt).toBe('2026-01-11T14:00:00.000Z');
  });

  it('a shared contact card is a referral task (no handoff); a card of someone looking for property also opens their lead', () => {
    const barbara = { name: 'Barbara J. Johnson', phones: ['+16505559999'], waIds: ['16505559999'], emails: ['bjohnson@example.com'] };
    const card = { ...msg('m1', '[shared contact: Barbara J. Johnson]'), kind: 'contacts' as const, sharedContacts: [barbara] };
    const p = plan([card]);
    expect(p.tasks).toEqual([{ title: 'Referral shared by the lead: Barbara J. Johnson +16505559999 bjohnson@example.com', dueAt: iso(T0 + lead().settings.slaMs) }]);
    expect(p.referrals).toEqual([]);
    expect(p.handoff).toBeNull();
    const seeker = plan([msg('m0', 'My friend is looking for a villa too'), card]);
    expect(seeker.referrals).toEqual([barbara]);
    expect(seeker.tasks[0]!.title).toMatch(/^Referred lead opened: Barbara/);
  });

  it('a removed reaction: no task, no handoff, no reply, no agent turn', () => {
    const removed = [{ ...msg('m1', '[removed a reaction]'), kind: 'reaction' as const, reaction: { messageId: 'wamid.X' } }];
    expect(plan(removed)).toEqual({ tasks: [], handoff: null, referrals: [], withoutAgent: { reply: null } });
  });
});

describe('a later delivery failure', () => {
  const scored = (score: number) => applyAgentResult(acceptInbound(lead(), { messages: [msg('m1')] }).state, { result: result({ qualification: qual(score) }), replyId: 'r1', at: iso(T0) }).state;

  it('asks for a call for a hot lead (qualified, or 60+) nobody owns, once while the call task is open', () => {
    expect(needsCallAfterFailedDelivery(scored(75))).toBe(true);
    expect(needsCallAfterFailedDelivery(scored(30))).toBe(false);
    const called = addTask(scored(75), { task: { title: CALL_INSTEAD_TASK, dueAt: iso(T0) }, id: 't1', at: iso(T0) }).state;
    expect(needsCallAfterFailedDelivery(called)).toBe(false);
    const owned = claimLead(scored(75), { brokerId: 'b1', at: iso(T0) }).state;
    expect(needsCallAfterFailedDelivery(owned)).toBe(false);
  });
});

describe('handoff held for the contact ask', () => {
  it('await_contact holds a fresh qualification; the deferred handoff carries its reason later', () => {
    expect(handoffReasonFor([{ kind: 'await_contact' }], true)).toBeNull();
    expect(handoffReasonFor([{ kind: 'handoff', reason: 'qualified', deferred: true }], false)).toBe('qualified');
  });
});

describe('offline agent: actions and web contact', () => {
  const agent = createOfflineAgent();
  const units = Unit.array().parse(JSON.parse(readFileSync(fileURLToPath(new URL('../db/seeds/inventory.json', import.meta.url)), 'utf8')));
  const tools: AgentTools = { inventorySearch: async (q) => rankUnits(units, q) };
  const base = { leadId: 'l1', market: 'AE' as const, now: '2026-12-02T08:00:00Z', timeZone: 'Asia/Dubai' };
  const lead1 = (text: string): ConversationMessage => ({ from: 'lead', text });

  it('confirms a viewing and a call at the proposed time, in the lead’s language', async () => {
    const contact = { name: 'Omar', phone: '+971501234567', email: null };
    const v = await agent.turn({ ...base, channel: 'whatsapp', contact, messages: [lead1('Saturday 11am works for the viewing')] }, tools);
    expect(v.reply).toBe("Lovely, I've asked one of our property consultants to arrange the viewing for Sat 5 Dec 11:00. They'll confirm with you shortly.");
    const c = await agent.turn({ ...base, channel: 'whatsapp', contact, messages: [lead1('please call after 6pm')] }, tools);
    expect(c.reply).toBe("Of course. I've asked a property consultant to call you after Wed 2 Dec 18:00.");
    const ar = await agent.turn({ ...base, channel: 'whatsapp', contact, messages: [lead1('ممكن معاينة الشقة السبت الساعة 11 صباحا؟')] }, tools);
    expect(ar.reply).toMatch(/^رائع، طلبت من أحد مستشارينا ترتيب المعاينة/);
  });

  it('asks a web chat lead with no phone or e-mail how to reach them instead of handing off, once', async () => {
    const nobody = { name: null, phone: null, email: null };
    const hot = lead1('I want to buy a 2 bed apartment in Dubai Marina, budget AED 2.5M, cash, moving next month');
    const r = await agent.turn({ ...base, channel: 'web', contact: nobody, messages: [hot] }, tools);
    expect(r.qualification.qualified).toBe(true);
    expect(r.reply).toMatch(/what is the best phone number or e-mail for you\?$/);
    expect(r.intents).toContainEqual({ kind: 'await_contact' });
    expect(r.intents.some((i) => i.kind === 'handoff')).toBe(false);
    const next = await agent.turn({ ...base, channel: 'web', contact: nobody, messages: [hot, { from: 'agent', text: r.reply }, lead1('+971 55 987 6543')] }, tools);
    expect(next.intents).toEqual([{ kind: 'handoff', reason: r.qualification.qualified ? 'qualified' : 'asked_for_human', deferred: true }]);
    // On WhatsApp we always have the number: no question.
    const wa = await agent.turn({ ...base, channel: 'whatsapp', contact: { ...nobody, phone: '+971501234567' }, messages: [hot] }, tools);
    expect(wa.intents.some((i) => i.kind === 'await_contact')).toBe(false);
  });
});
