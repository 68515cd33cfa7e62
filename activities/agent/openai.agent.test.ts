import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer, type ChatRequestBody, type FakeOpenAiServer } from '../../test/fakes/openai.server';
import { MAX_TOOL_CALLS, type AgentTools, type AgentTurnInput, type ConversationMessage, type InventoryQuery } from '../../domain/agent.types';
import { rankUnits } from '../../domain/inventory.matcher';
import { scoreLead } from '../../domain/lead.scorer';
import { Unit } from '../../domain/profile.schema';
import { createOfflineAgent } from '../../domain/agent/offline.agent';
import { createOpenAiAgent } from './openai.agent';
import { OPENAI_SYSTEM_PROMPT } from './openai-agent.prompt';
import { type LeadQualification, type ModelProfile } from './openai-agent.schema';

// The real `openai` client against a local server that speaks the chat completions protocol.
const units = Unit.array().parse(JSON.parse(readFileSync(fileURLToPath(new URL('../../db/seeds/inventory.json', import.meta.url)), 'utf8')));
const API_KEY = 'sk-test-leadline';
const MODEL = 'test-model-1';

let fake: FakeOpenAiServer;
let queries: InventoryQuery[];
let logs: Array<{ level: number; msg: string; status?: number }>;
const tools: AgentTools = { async inventorySearch(q) { queries.push(q); return rankUnits(units, q); } };
const logger = pino({ level: 'debug' }, { write: (line: string) => { logs.push(JSON.parse(line) as { level: number; msg: string }); } });

const agent = (withFallback = true) => createOpenAiAgent({
  apiKey: API_KEY, baseURL: fake.baseUrl, model: MODEL, logger, maxRetries: 0,
  ...(withFallback ? { fallback: createOfflineAgent() } : {}),
});
const input = (messages: ConversationMessage[], over: Partial<AgentTurnInput> = {}): AgentTurnInput => ({
  leadId: 'lead-1', market: 'AE', now: '2026-11-23', channel: 'whatsapp',
  contact: { name: 'Omar Khalid', phone: '+971501234567', email: null }, messages, ...over,
});
const lead = (text: string): ConversationMessage => ({ from: 'lead', text });

const emptyModelProfile: ModelProfile = {
  persona: null, city: null, areas: [], propertyType: null, bedsMin: null, bedsMax: null,
  budgetMin: null, budgetMax: null, currency: null, budgetPeriod: null, timeline: null, finance: null,
};
const answer = (over: Partial<LeadQualification> = {}, profile: Partial<ModelProfile> = {}): LeadQualification => ({
  reply: 'Lovely! When are you hoping to move?', profile: { ...emptyModelProfile, ...profile }, intents: [], askedFor: 'timeline', unitIds: [], ...over,
});
const searchArgs = (over: Record<string, unknown> = {}) => ({
  listing: null, city: null, areas: [], propertyType: null, bedsMin: null, bedsMax: null,
  budgetMin: null, budgetMax: null, currency: null, limit: null, features: null, ...over,
});
/** The JSON the agent sent back as the answer to a tool call. */
const toolResult = (body: ChatRequestBody, callId: string): unknown => {
  const m = body.messages?.find((x) => x.role === 'tool' && x.tool_call_id === callId);
  return m && typeof m.content === 'string' ? JSON.parse(m.content) : undefined;
};
const warnings = () => logs.filter((l) => l.level === 40);
const errors = () => logs.filter((l) => l.level === 50);

beforeAll(async () => { fake = await startFakeOpenAiServer({ apiKey: API_KEY }); });
afterAll(async () => { await fake.close(); });
beforeEach(() => { fake.reset(); queries = []; logs = []; });

describe('openai agent', () => {
  it('runs the tools the model asks for and answers with the stable prompt first, the model named', async () => {
    fake.script((_req, i) => i === 0
      ? { toolCalls: [{ id: 'call_inv', name: 'inventory_search', arguments: searchArgs({ listing: 'sale', areas: ['the marina'], propertyType: 'apartment', bedsMin: 2, bedsMax: 2, budgetMax: 2500000 }) }] }
      : { content: answer({ reply: 'Here are two in Dubai Marina. When are you hoping to move?', unitIds: ['U0011'] }) });
    const r = await agent().turn(input([lead('Hi, 2 bed flat in the marina to buy, up to 2.5M')]), tools);

    expect(r.agent).toBe('openai');
    expect(r.reply).toBe('Here are two in Dubai Marina. When are you hoping to move?');
    // the model's search, canonicalised by domain code before it reached the inventory
    expect(queries[0]).toMatchObject({ listing: 'sale', city: 'Dubai', areas: ['Dubai Marina'], propertyType: 'apartment', bedsMin: 2, bedsMax: 2, budgetMax: 2500000, currency: 'AED', limit: 5 });
    expect(r.toolCalls[0]).toMatchObject({ name: 'inventory_search', ok: true });
    expect(r.toolCalls.length).toBeLessThanOrEqual(MAX_TOOL_CALLS);
    expect(r.matches.some((m) => m.unit.id === 'U0011')).toBe(true);

    expect(fake.requests).toHaveLength(2);
    for (const req of fake.requests) {
      expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(req.body.model).toBe(MODEL);
      expect(req.body.messages?.[0]).toEqual({ role: 'system', content: OPENAI_SYSTEM_PROMPT });
      expect(req.body.tools?.map((t) => t.function?.name)).toEqual(['inventory_search', 'normalize_budget', 'geo_match', 'lead_score']);
      expect(req.body.response_format?.type).toBe('json_schema');
      expect(req.body.response_format?.json_schema?.name).toBe('LeadQualification');
    }
    // the prompt prefix carries nothing per lead or per day, so it stays cacheable
    expect(OPENAI_SYSTEM_PROMPT).not.toContain('Omar');
    expect(OPENAI_SYSTEM_PROMPT).not.toContain('2026');
    const units0 = toolResult(fake.requests[1]!.body, 'call_inv') as { units: Array<{ id: string }> };
    expect(units0.units.map((u) => u.id)).toContain('U0011');
  });

  it("searches with the lead's feature words, tells the model why each unit fits, and gives it the lead's memories", async () => {
    fake.script((_req, i) => i === 0
      ? { toolCalls: [{ id: 'call_feat', name: 'inventory_search', arguments: searchArgs({ listing: 'sale', city: 'Dubai', bedsMin: 2, bedsMax: 2, features: 'sea view, near the metro' }) }] }
      : { content: answer({ reply: 'Here is one with a sea view. Why: sea view.', unitIds: [] }) });
    const memories = [{ kind: 'preference' as const, text: 'wants a big balcony' }, { kind: 'fact' as const, text: 'has two kids' }];
    await agent().turn(input([lead('2 bed to buy in Dubai, sea view, near the metro')], { memories }), tools);
    expect(queries[0]).toMatchObject({ city: 'Dubai', text: 'sea view, near the metro' });
    const found = toolResult(fake.requests[1]!.body, 'call_feat') as { units: Array<{ features: string[]; why: string[] }> };
    expect(found.units.length).toBeGreaterThan(0);
    for (const u of found.units) for (const w of u.why) expect(u.features).toContain(w);
    // a remembered preference counts as asked, and the memories reach the model's context
    expect(found.units.flatMap((u) => u.why).some((w) => ['sea view', 'near metro', 'balcony'].includes(w))).toBe(true);
    const context = fake.requests[0]!.body.messages?.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n') ?? '';
    expect(context).toContain('- wants a big balcony');
    expect(context).toContain('- has two kids');
    // the final search carries the asked features too
    expect(queries.at(-1)?.text).toContain('balcony');
  });

  it('normalises the model profile with the domain code (areas, currency, budget, period)', async () => {
    // the lead names no place the parser knows; the model says "the marina" and misreads the budget
    fake.script(() => ({
      content: answer({}, { persona: 'buyer', areas: ['the marina'], city: null, propertyType: 'apartment', bedsMin: 2, bedsMax: 2, budgetMax: 2.5, currency: 'usd', budgetPeriod: 'year', finance: 'mortgage' }),
    }));
    const r = await agent().turn(input([lead('Hi, I want to buy a 2 bed flat near the yachts, up to 2.5M, paying cash')]), tools);
    expect(r.agent).toBe('openai');
    expect(r.profile).toMatchObject({
      persona: 'buyer', city: 'Dubai', areas: ['Dubai Marina'], propertyType: 'apartment', bedsMin: 2, bedsMax: 2,
      budgetMin: null, budgetMax: 2500000, currency: 'AED', budgetPeriod: 'total', finance: 'cash', contactValid: true,
    });
    // the agent searched with the final profile itself
    expect(queries.at(-1)).toMatchObject({ city: 'Dubai', areas: ['Dubai Marina'], budgetMax: 2500000 });
  });

  it('fills gaps from the model only through canonicalisation and market defaults', async () => {
    fake.script(() => ({ content: answer({}, { persona: 'tenant', areas: ['JVC', 'Atlantis on the moon'], budgetMax: 90000, currency: null, budgetPeriod: null }) }));
    const r = await agent().turn(input([lead('hello')]), tools);
    expect(r.profile).toMatchObject({ persona: 'tenant', city: 'Dubai', areas: ['Jumeirah Village Circle'], budgetMax: 90000, currency: 'AED', budgetPeriod: 'year' });
  });

  it('computes the score with scoreLead and ignores a handoff the score does not support', async () => {
    fake.script(() => ({ content: answer({ intents: ['handoff_qualified'] }, { persona: 'buyer' }) }));
    const r = await agent().turn(input([lead('just looking at options to buy')]), tools);
    expect(r.qualification).toEqual(scoreLead(r.profile, r.matches, input([]).contact, 'AE'));
    expect(r.qualification.qualified).toBe(false);
    expect(r.intents).toEqual([]);
  });

  it('hands off as qualified when scoreLead says so', async () => {
    fake.script(() => ({ content: answer({ reply: 'Shall a consultant call you?', askedFor: null }) }));
    const r = await agent().turn(input([lead('Buying a 2 bed apartment in Dubai Marina, up to 2.5M, cash, moving within 2 months')]), tools);
    expect(r.qualification).toEqual(scoreLead(r.profile, r.matches, input([]).contact, 'AE'));
    expect(r.qualification.qualified).toBe(true);
    expect(r.intents).toEqual([{ kind: 'handoff', reason: 'qualified' }]);
  });

  it(`stops at ${MAX_TOOL_CALLS} tool calls and forces a final answer`, async () => {
    let executedRounds = 0;
    fake.script((req) => {
      if (req.tool_choice === 'none') return { content: answer() };
      executedRounds++;
      return { toolCalls: [1, 2, 3].map((k) => ({ name: 'geo_match', arguments: { text: `Dubai Marina ${k}` } })) };
    });
    const r = await agent().turn(input([lead('hi')]), tools);
    expect(r.agent).toBe('openai');
    expect(r.toolCalls).toHaveLength(MAX_TOOL_CALLS);
    expect(r.toolCalls.every((c) => c.name === 'geo_match' && c.ok)).toBe(true);
    expect(executedRounds).toBe(4);
    const last = fake.requests.at(-1)!.body;
    expect(last.tool_choice).toBe('none');
    // the calls over the limit were answered with an error, not run
    const refused = (last.messages ?? []).filter((m) => m.role === 'tool' && typeof m.content === 'string' && m.content.includes('limit'));
    expect(refused).toHaveLength(2);
  });

  it('falls back when the model keeps calling tools after the limit', async () => {
    fake.script(() => ({ toolCalls: [{ name: 'inventory_search', arguments: searchArgs({ areas: ['JLT'] }) }] }));
    const r = await agent().turn(input([lead('hi')]), tools);
    expect(r.agent).toBe('offline');
    expect(r.reply.length).toBeGreaterThan(0);
    // 10 searches from the model at most; the offline agent searched nothing for "hi"
    expect(queries.length).toBe(MAX_TOOL_CALLS);
    expect(warnings().length).toBe(1);
  });

  it('answers invalid tool arguments with an error the model can read', async () => {
    fake.script((_req, i) => i === 0
      ? { toolCalls: [{ id: 'call_bad', name: 'normalize_budget', arguments: { amount: 5 } }, { id: 'call_x', name: 'delete_everything', arguments: {} }] }
      : { content: answer() });
    const r = await agent().turn(input([lead('hi')]), tools);
    expect(r.toolCalls).toEqual([expect.objectContaining({ name: 'normalize_budget', ok: false }), expect.objectContaining({ name: 'delete_everything', ok: false })]);
    expect(toolResult(fake.requests[1]!.body, 'call_bad')).toMatchObject({ error: expect.stringContaining('invalid arguments') });
    expect(toolResult(fake.requests[1]!.body, 'call_x')).toMatchObject({ error: expect.stringContaining('unknown tool') });
  });

  it('honours STOP even when the model would ignore it, without asking the model', async () => {
    fake.script(() => ({ content: answer({ reply: 'Great! Which area do you like?' }) }));
    for (const text of ['STOP', 'please stop messaging me']) {
      const r = await agent().turn(input([lead('2 bed in JVC'), { from: 'agent', text: 'What budget do you have in mind?' }, lead(text)]), tools);
      expect(r.intents).toEqual([{ kind: 'opt_out' }]);
      expect(r.reply).not.toContain('Which area');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('adds a handoff for "a human please" even when the model misses it', async () => {
    fake.script(() => ({ content: answer({ reply: 'Sure, a colleague will reach out.' }) }));
    const r = await agent().turn(input([lead('can I talk to a real person please')]), tools);
    expect(r.agent).toBe('openai');
    expect(r.intents).toContainEqual({ kind: 'handoff', reason: 'asked_for_human' });
  });

  it('falls back to the offline agent on a 500 and logs a warning', async () => {
    fake.script(() => ({ status: 500, message: 'The server had an error while processing your request.' }));
    const r = await agent().turn(input([lead('hi')]), tools);
    expect(r.agent).toBe('offline');
    expect(r.reply).toContain('Omar');
    expect(warnings()).toEqual([expect.objectContaining({ status: 500 })]);
  });

  it('falls back on a 429 and on a dropped connection', async () => {
    fake.script(() => ({ status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded' }));
    expect((await agent().turn(input([lead('hi')]), tools)).agent).toBe('offline');
    fake.script(() => ({ drop: true }));
    expect((await agent().turn(input([lead('hi')]), tools)).agent).toBe('offline');
    expect(warnings()).toHaveLength(2);
  });

  it('repairs one invalid answer, then falls back on a second', async () => {
    fake.script((_req, i) => (i === 0 ? { content: 'Sure! Here you go: not json' } : { content: answer() }));
    const ok = await agent().turn(input([lead('hi')]), tools);
    expect(ok.agent).toBe('openai');
    expect(fake.requests).toHaveLength(2);
    expect(JSON.stringify(fake.requests[1]!.body.messages?.at(-1))).toContain('rejected');

    fake.reset();
    fake.script(() => ({ content: { reply: 42 } }));
    const bad = await agent().turn(input([lead('hi')]), tools);
    expect(bad.agent).toBe('offline');
    expect(fake.requests).toHaveLength(2);
  });

  it('rejects listings that inventory_search never returned', async () => {
    fake.script(() => ({ content: answer({ reply: 'Try unit U9999, a lovely villa!', unitIds: ['U9999'] }) }));
    const r = await agent().turn(input([lead('hi')]), tools);
    expect(r.agent).toBe('offline');
    expect(JSON.stringify(fake.requests[1]!.body.messages?.at(-1))).toContain('U9999');
  });

  it('logs a rejected key as an error and still answers', async () => {
    const wrong = createOpenAiAgent({ apiKey: 'sk-wrong', baseURL: fake.baseUrl, model: MODEL, logger, maxRetries: 0, fallback: createOfflineAgent() });
    fake.script(() => ({ content: answer() }));
    const r = await wrong.turn(input([lead('hi')]), tools);
    expect(r.agent).toBe('offline');
    expect(errors()).toEqual([expect.objectContaining({ status: 401 })]);
  });

  /** The per-lead system message (right after the stable prefix) of a request. */
  const leadContextOf = (i: number) => String(fake.requests[i]!.body.messages?.[1]?.content);

  it('tells the model the lead writes Arabic, with the Arabic writing rules, and records the language on the turn', async () => {
    const arabicReply = 'أهلاً عمر! فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم. متى تفكر في الشراء؟';
    fake.script(() => ({ content: answer({ reply: arabicReply }) }));
    const r = await agent().turn(input([lead('مرحبا، أبحث عن فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم، الدفع نقداً')]), tools);
    expect(r.agent).toBe('openai');
    expect(r.reply).toBe(arabicReply);
    expect(r.language).toBe('ar');
    const context = leadContextOf(0);
    expect(context).toContain("Lead's language: Arabic (ar).");
    expect(context).toMatch(/right to left/);
    expect(context).toMatch(/Arabic names of areas/);
    // the stable prefix stays the same for every language (cacheable)
    expect(fake.requests[0]!.body.messages?.[0]).toEqual({ role: 'system', content: OPENAI_SYSTEM_PROMPT });
  });

  it('reads Arabizi as Arabic and Hinglish as Hinglish (Latin letters, never Devanagari)', async () => {
    fake.script(() => ({ content: answer({ reply: 'أهلاً! كم غرفة نوم تحتاج؟' }) }));
    const ar = await agent().turn(input([lead('abgha sha2a fi Dubai Marina, ya3ni 2 ghoraf')]), tools);
    expect(ar.language).toBe('ar');
    expect(leadContextOf(0)).toContain('(ar)');

    fake.reset();
    fake.script(() => ({ content: answer({ reply: 'Bilkul! Aapka budget kitna hai?' }) }));
    const hinglish = await agent().turn(input([lead('mujhe Andheri mein 2 BHK chahiye, jaldi')], { market: 'IN' }), tools);
    expect(hinglish.agent).toBe('openai');
    expect(hinglish.language).toBe('hi-Latn');
    expect(leadContextOf(0)).toContain("Lead's language: Hinglish (Hindi in Latin letters) (hi-Latn).");
    expect(leadContextOf(0)).toContain('Never use Devanagari');
  });

  it('follows the lead to the language of their newest words', async () => {
    fake.script(() => ({ content: answer() }));
    const r = await agent().turn(input([lead('مرحبا'), { from: 'agent', text: 'أهلاً! هل تبحث عن شراء أم إيجار؟' }, lead('Sorry, English please: I want to rent in JLT')]), tools);
    expect(r.language).toBe('en');
    expect(leadContextOf(0)).toContain("Lead's language: English (en). Write the reply in English.");
  });

  it('sends an English reply to a Hindi lead back once, then falls back to the offline agent, which writes Hindi', async () => {
    fake.script((_req, i) => (i === 0 ? { content: answer({ reply: 'Great, which area?' }) } : { content: answer({ reply: 'बढ़िया! आपका बजट कितना है?' }) }));
    const repaired = await agent().turn(input([lead('नमस्ते, मुझे पवई में 2 BHK फ्लैट चाहिए')], { market: 'IN' }), tools);
    expect(repaired.agent).toBe('openai');
    expect(repaired.reply).toBe('बढ़िया! आपका बजट कितना है?');
    expect(repaired.language).toBe('hi');
    expect(JSON.stringify(fake.requests[1]!.body.messages?.at(-1))).toContain('Devanagari');

    fake.reset();
    fake.script(() => ({ content: answer({ reply: 'Great, which area?' }) }));
    const fallback = await agent().turn(input([lead('नमस्ते, मुझे पवई में 2 BHK फ्लैट चाहिए')], { market: 'IN' }), tools);
    expect(fake.requests).toHaveLength(2);
    expect(fallback.agent).toBe('offline');
    expect(fallback.language).toBe('hi');
    expect(fallback.reply).toMatch(/[\u0900-\u097f]/);
  });

  it('throws when the API fails and no fallback is configured', async () => {
    fake.script(() => ({ status: 503 }));
    await expect(agent(false).turn(input([lead('hi')]), tools)).rejects.toThrow();
  });
});
