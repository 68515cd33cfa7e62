import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_TOOL_CALLS, type AgentTools, type AgentTurnInput, type ConversationMessage, type InventoryQuery } from '../../domain/agent.types';
import { rankUnits } from '../../domain/inventory.matcher';
import { Unit } from '../../domain/profile.schema';
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

  it.each([['STOP'], ['stop'], ['Unsubscribe'], ['توقف'], ['إلغاء الاشتراك'], ['الغاء']])('opts out on %j with a short confirmation', async (text) => {
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
});
