import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_TOOL_CALLS, type AgentTools, type AgentTurnInput, type ConversationMessage, type InventoryQuery } from '../agent.types';
import { rankUnits } from '../inventory.matcher';
import { Unit } from '../profile.schema';
import { createOfflineAgent } from './offline.agent';

// Pure (no servers needed): the offline agent over an in-memory inventory.
const units = Unit.array().parse(JSON.parse(readFileSync(fileURLToPath(new URL('../../db/seeds/inventory.json', import.meta.url)), 'utf8')));
const queries: InventoryQuery[] = [];
const tools: AgentTools = { async inventorySearch(q) { queries.push(q); return rankUnits(units, q); } };
const agent = createOfflineAgent();

const input = (messages: ConversationMessage[], over: Partial<AgentTurnInput> = {}): AgentTurnInput => ({
  leadId: 'lead-1', market: 'AE', now: '2026-11-23', channel: 'whatsapp',
  contact: { name: 'Omar Khalid', phone: '+971501234567', email: null }, messages, ...over,
});
const lead = (text: string): ConversationMessage => ({ from: 'lead', text });

describe('offline agent', () => {
  it('greets a new lead by first name and asks its first question', async () => {
    const r = await agent.turn(input([lead('hi')]), tools);
    expect(r.reply).toContain('Omar');
    expect(r.reply).not.toContain('Khalid');
    expect(r.askedFor).toBe('persona');
    expect(r.intents).toEqual([]);
    expect(r.agent).toBe('offline');
  });

  it('asks the next most useful question and records it in askedFor', async () => {
    const r = await agent.turn(input([lead('looking to buy in Dubai Marina')]), tools);
    expect(r.askedFor).toBe('propertyType');
    const r2 = await agent.turn(input([lead('looking to buy a 2 bed flat in Dubai Marina')]), tools);
    expect(r2.askedFor).toBe('budget');
    expect(r2.reply).toMatch(/budget|price range/i);
  });

  it('reads a bare answer against its own question', async () => {
    const first = await agent.turn(input([lead('looking to buy a flat in JLT')]), tools);
    const r = await agent.turn(input([lead('looking to buy a flat in JLT'), { from: 'agent', text: first.reply }, lead('2')]), tools);
    expect(r.profile.bedsMin).toBe(2);
  });

  it("searches with the lead's feature words and remembered preferences, and says why each unit fits", async () => {
    // a search that prefers the asked features, as the hybrid search does
    const featured: AgentTools = {
      async inventorySearch(q) {
        queries.push(q);
        return rankUnits(units, q).sort((a, b) => Number(b.unit.features.includes('sea view')) - Number(a.unit.features.includes('sea view')));
      },
    };
    const memories = [{ kind: 'preference' as const, text: 'wants a big balcony' }];
    const r = await agent.turn(input([lead('Looking to buy a 2 bed in Dubai Marina with a sea view')], { memories }), featured);
    expect(queries.at(-1)).toMatchObject({ areas: ['Dubai Marina'], text: 'wants a big balcony, a sea view' });
    expect(r.reply).toMatch(/Why: [^\n]*sea view/);
    const plain = await agent.turn(input([lead('Looking to buy a 2 bed in Dubai Marina')]), tools);
    expect(queries.at(-1)?.text).toBeUndefined();
    expect(plain.reply).not.toContain('Why:');
  });

  it('shows matches, proposes a human and hands off when qualified', async () => {
    const r = await agent.turn(input([lead('2 bedroom apartment in Dubai Marina, up to 2.5M, cash, moving within 2 months')]), tools);
    expect(r.qualification.qualified).toBe(true);
    expect(r.matches.length).toBeGreaterThan(0);
    expect(r.reply).toContain('Dubai Marina');
    expect(r.intents).toContainEqual({ kind: 'handoff', reason: 'qualified' });
    expect(r.toolCalls.map((t) => t.name)).toEqual(['normalize_budget', 'geo_match', 'inventory_search', 'lead_score']);
    expect(r.toolCalls.length).toBeLessThanOrEqual(MAX_TOOL_CALLS);
    expect(queries.at(-1)).toMatchObject({ listing: 'sale', city: 'Dubai', areas: ['Dubai Marina'], bedsMin: 2, budgetMax: 2_500_000 });
  });

  it.each([['talk to a person please'], ['agent please'], ['human'], ['can someone call me?']])('hands off on %j', async (text) => {
    const r = await agent.turn(input([lead('2 bed in JVC'), { from: 'agent', text: 'What budget do you have in mind?' }, lead(text)]), tools);
    expect(r.intents).toContainEqual({ kind: 'handoff', reason: 'asked_for_human' });
  });

  // The shared detector (domain/opt-out.detector.ts): carrier keywords and Hindi too.
  it.each([['STOP'], ['stop'], ['Unsubscribe'], ['توقف'], ['إلغاء الاشتراك'], ['الغاء'], ['STOPALL'], ['बंद करो'], ['please stop calling me']])('opts out on %j with a short confirmation', async (text) => {
    const r = await agent.turn(input([lead('hi'), { from: 'agent', text: 'Are you looking to buy?' }, lead(text)]), tools);
    expect(r.intents).toEqual([{ kind: 'opt_out' }]);
    expect(r.reply.length).toBeLessThan(120);
    expect(r.askedFor).toBeNull();
  });

  it('recognises "not interested" but not "not interested in JVC"', async () => {
    const r = await agent.turn(input([lead('not interested, thanks')]), tools);
    expect(r.intents).toEqual([{ kind: 'not_interested' }]);
    const r2 = await agent.turn(input([lead('not interested in JVC, maybe Arjan')]), tools);
    expect(r2.intents).toEqual([]);
    expect(r2.profile.areas).toEqual(['Arjan']);
  });

  it('never exceeds the tool call limit and survives a failing search', async () => {
    const failing: AgentTools = { async inventorySearch() { throw new Error('db down'); } };
    const r = await agent.turn(input([lead('2 bed in JVC, 1M, buy')]), failing);
    expect(r.toolCalls.find((t) => t.name === 'inventory_search')?.ok).toBe(false);
    expect(r.reply.length).toBeGreaterThan(0);
    expect(r.toolCalls.length).toBeLessThanOrEqual(MAX_TOOL_CALLS);
  });

  it('varies its wording between leads yet is deterministic for the same input', async () => {
    const replies = new Set<string>();
    for (let i = 0; i < 8; i++) replies.add((await agent.turn(input([lead('hi')], { leadId: `lead-${i}` }), tools)).reply);
    expect(replies.size).toBeGreaterThan(1);
    const a = await agent.turn(input([lead('hi')]), tools);
    const b = await agent.turn(input([lead('hi')]), tools);
    expect(a.reply).toBe(b.reply);
  });

  it('does not ask the same question forever', async () => {
    const msgs: ConversationMessage[] = [lead('buy 2 bed in JVC, 1M')];
    for (let i = 0; i < 4; i++) {
      const r = await agent.turn(input(msgs), tools);
      msgs.push({ from: 'agent', text: r.reply }, lead('not sure'));
    }
    const asked = new Set<string | null>();
    for (let i = 0; i < 3; i++) asked.add((await agent.turn(input(msgs.slice(0, 2 + i * 2)), tools)).askedFor);
    expect(asked.size).toBeGreaterThan(1);
  });

  const agentMsg = (text: string): ConversationMessage => ({ from: 'agent', text });
  /** Plays a whole conversation, feeding each agent reply back in, and returns every reply. */
  async function play(leadTexts: string[], over: Partial<AgentTurnInput> = {}): Promise<Array<Awaited<ReturnType<typeof agent.turn>>>> {
    const msgs: ConversationMessage[] = [];
    const out = [];
    for (const t of leadTexts) {
      msgs.push(lead(t));
      const r = await agent.turn(input([...msgs], over), tools);
      out.push(r);
      msgs.push(agentMsg(r.reply));
    }
    return out;
  }
  const SENTENCE_STARTS_LOWER = /(?:^|[.!?]\s+)\p{Ll}/u;

  it('starts every sentence with a capital letter, even after the greeting', async () => {
    const scripts = [
      ['2 bed in Dubai Marina, up to 2.5M, cash, moving within 2 months', 'yes please', 'after 6pm'],
      ['hi', 'buy', 'the marina', '2', 'around 2M', 'next month', 'yes cash', 'thanks'],
      ['[photo]', '[voice message]', 'rent 1 bed JVC 70k', 'ASAP'],
    ];
    for (const [k, s] of scripts.entries()) {
      for (const r of await play(s, { leadId: `caps-${k}` })) {
        for (const para of r.reply.split('\n')) expect(para, r.reply).not.toMatch(SENTENCE_STARTS_LOWER);
      }
    }
    const first = await agent.turn(input([lead('2 bed in Dubai Marina, up to 2.5M, cash')]), tools);
    expect(first.reply).not.toMatch(/Omar! [a-z]/);
  });

  it('summarises what it understood in plain words', async () => {
    const r = await agent.turn(input([lead('rent 1 bed in JVC, 70k')]), tools);
    expect(r.reply).toContain('a 1-bed to rent in Jumeirah Village Circle, up to AED 70k a year');
    const inv = await agent.turn(input([lead('3BHK Powai 3 crore investment')], { market: 'IN' }), tools);
    expect(inv.reply).toContain('in Powai as an investment');
    expect(inv.reply).not.toMatch(/\bin in\b/);
  });

  it('asks at most one question per reply', async () => {
    const scripts = [
      ['hi', 'buy', 'the marina', '2', 'around 2M', 'next month', 'mortgage'],
      ['Hi, looking to rent a 2 bed flat in Shoreditch, £2,500 pcm', 'February'],
      ['2 bed in Dubai Marina, up to 2.5M, cash, moving within 2 months', 'yes please', 'after 6pm'],
    ];
    for (const [k, s] of scripts.entries()) {
      for (const r of await play(s, { leadId: `one-q-${k}`, market: k === 1 ? 'GB' : 'AE' })) {
        expect((r.reply.match(/\?/g) ?? []).length, r.reply).toBeLessThanOrEqual(1);
      }
    }
  });

  it('varies its acknowledgements across turns of one conversation', async () => {
    const replies = await play(['hi', 'buy', 'the marina', '2', 'around 2M', 'next month', 'cash'], { leadId: 'vary-1' });
    const openers = replies.map((r) => r.reply.split(/[.!:,]/)[0]);
    expect(new Set(openers).size).toBeGreaterThanOrEqual(4);
  });

  it('lists at most three matches as numbered lines with price and size', async () => {
    const r = await agent.turn(input([lead('2 bed in Dubai Marina, up to 2.5M, cash, moving within 2 months')]), tools);
    const lines = r.reply.split('\n').filter((l) => /^\d\. /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const l of lines) expect(l).toMatch(/^\d\. \*(?:Studio|\d-bed \w+) in [^*]+\*: AED [\d.]+[kM] · \d+ m²/);
  });

  it('confirms the handoff when the lead accepts the call, instead of asking more questions', async () => {
    const [offer, yes] = await play(['2 bed in Dubai Marina, up to 2.5M, cash, moving within 2 months', 'yes please']);
    expect(offer!.intents).toContainEqual({ kind: 'handoff', reason: 'qualified' });
    expect(offer!.reply).toMatch(/call/);
    expect(yes!.intents).toContainEqual({ kind: 'handoff', reason: 'qualified' });
    expect(yes!.reply).toMatch(/consultant|colleague/);
    expect(yes!.askedFor).toBeNull();
    const reacted = await play(['2 bed in Dubai Marina, up to 2.5M, cash, moving within 2 months', '[reacted 👍 to a message]']);
    expect(reacted[1]!.intents).toContainEqual({ kind: 'handoff', reason: 'qualified' });
  });

  it('does not mistake "yes cash" after a timing or money question for accepting a call', async () => {
    const replies = await play(['hi', 'buy', 'the marina', '2', 'around 2M', 'next month', 'yes cash']);
    const last = replies.at(-1)!;
    expect(last.profile.finance).toBe('cash');
    expect(last.reply).toMatch(/cash/i);
  });

  it('answers a voice note by asking for text, and does not read it as an answer', async () => {
    const msgs = [lead('hi'), agentMsg('Are you looking to buy, rent, or invest?'), lead('[voice message]')];
    const r = await agent.turn(input(msgs), tools);
    expect(r.reply).toMatch(/voice note/i);
    expect(r.reply).toMatch(/type|text/i);
    expect(r.profile.persona).toBeNull();
    expect(r.askedFor).toBeNull();
  });

  it('thanks for a photo and moves the conversation on', async () => {
    const r = await agent.turn(input([lead('looking to buy in Dubai Marina'), agentMsg('What type of property works for you?'), lead('[photo]')]), tools);
    expect(r.reply).toMatch(/photo/i);
    expect(r.askedFor).not.toBeNull();
    expect((r.reply.match(/\?/g) ?? []).length).toBe(1);
  });

  it('reads the area of a location pin by its coordinates, and asks for the area when the pin is near none', async () => {
    const named = await agent.turn(input([lead('looking to rent a 1 bed'), agentMsg('Which area do you have in mind?'), lead('[location: Marina Walk (25.0771, 55.1396)]')]), tools);
    expect(named.profile.areas).toEqual(['Dubai Marina']);
    expect(named.reply).toMatch(/pin/i);
    const bare = await agent.turn(input([lead('looking to rent a 1 bed'), agentMsg('Which area do you have in mind?'), lead('[location: Al Qudra Lakes (24.83, 55.37)]')]), tools);
    expect(bare.askedFor).toBe('area');
    expect(bare.reply).toMatch(/area|community/i);
    // a far pin as the very first message: its address (and ZIP) are not facts; the area is asked by name
    const first = await agent.turn(input([lead('[location: Philz Coffee, 1 Hacker Way, Palo Alto, CA 94301 (37.44, -122.16)]')]), tools);
    expect(first.askedFor).toBe('area');
    expect(first.reply).toMatch(/pin/i);
    expect(first.profile).toMatchObject({ areas: [], budgetMin: null, budgetMax: null });
  });

  it('treats a reaction or emoji as a nod and keeps going with one question', async () => {
    const r = await agent.turn(input([lead('looking to buy in Dubai Marina'), agentMsg('What type of property works for you?'), lead('[reacted 👍 to a message]')]), tools);
    expect(r.intents).toEqual([]);
    expect(r.askedFor).not.toBeNull();
    expect(r.reply.length).toBeLessThan(160);
    const e = await agent.turn(input([lead('looking to buy in Dubai Marina'), agentMsg('What type of property works for you?'), lead('👍')]), tools);
    expect(e.askedFor).not.toBeNull();
  });
});
