import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  MAX_TOOL_CALLS,
  type Agent,
  type AgentIntent,
  type AgentTools,
  type AgentTurnInput,
  type AgentTurnResult,
  type InventoryQuery,
  type ToolCallRecord,
  type UnitMatch,
} from '../../domain/agent.types';
import { normalizeBudget } from '../../domain/budget.parser';
import { contactValidity } from '../../domain/contact.validator';
import { geoMatch } from '../../domain/geo.matcher';
import { scoreLead } from '../../domain/lead.scorer';
import { conversationLanguage, type LeadLanguage } from '../../domain/language.detector';
import { extractProfileDetailed } from '../../domain/profile.extractor';
import { askedFeatures, type AskedFeatures } from '../../domain/unit-features.matcher';
import { type LeadProfile } from '../../domain/profile.schema';
import { createOfflineAgent } from '../../domain/agent/offline.agent';
import { OPENAI_SYSTEM_PROMPT } from './openai-agent.prompt';
import { InventorySearchArgs, isToolName, LeadQualification, RESPONSE_FORMAT, ScoreArgs, TextArgs, TOOL_DEFS } from './openai-agent.schema';
import { mergeProfile, normaliseQuery, unitForModel } from './openai-profile.normaliser';
import { listingOf, profileQuery } from '../../domain/agent/profile-query.builder';
import { leadContext, recalledPreferences, scriptProblem, toChat, turnContext } from './openai-agent.context';

// The OpenAI agent: chat completions with four tools and a zod-validated final answer. The
// model writes the message; the domain code has the last word on every fact. Its profile is
// merged with the deterministic reading of the conversation (the SPEC rules), the score comes
// from scoreLead, and opt-out/handoff are also read by the offline agent's detectors, so a
// model that misreads "STOP" cannot keep messaging someone. Any failure falls back to the
// offline agent: a lead always gets an answer.

// ---------------------------------------------------------------- the agent

export interface OpenAiAgentOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  logger: Logger;
  /** Answers the turn when the API fails; without it the failure propagates (the activity retries). */
  fallback?: Agent;
  /** Whole-turn budget: the agentTurn activity allows 60 s, and the fallback needs time too. */
  turnTimeoutMs?: number;
  /** SDK retries per request (429, 5xx, network); each retry eats into the turn budget. */
  maxRetries?: number;
}

class InvalidOutputError extends Error {
  override name = 'InvalidOutputError';
}

const MAX_ROUNDS = MAX_TOOL_CALLS + 2;

function describeError(err: unknown): { status: number | undefined; message: string } {
  if (err instanceof OpenAI.APIError) return { status: err.status, message: err.message };
  return { status: undefined, message: err instanceof Error ? err.message : String(err) };
}

export function createOpenAiAgent(opts: OpenAiAgentOptions): Agent {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: opts.maxRetries ?? 1,
    timeout: 25_000,
  });
  const log = opts.logger.child({ agent: 'openai', model: opts.model });
  const turnTimeoutMs = opts.turnTimeoutMs ?? 40_000;
  // The offline agent doubles as the deterministic detector of opt-out, "not interested" and
  // "a human please": those rules must hold whatever the model says.
  const detector = createOfflineAgent();
  const noStock: AgentTools = { inventorySearch: async () => [] };

  async function modelTurn(input: AgentTurnInput, tools: AgentTools, det: {
    profile: LeadProfile; excluded: string[]; listing: 'sale' | 'rent' | null; contactValid: boolean; intents: AgentIntent[]; language: LeadLanguage; features: AskedFeatures;
  }): Promise<AgentTurnResult> {
    const { market } = input;
    const deadline = Date.now() + turnTimeoutMs;
    const toolCalls: ToolCallRecord[] = [];
    const seen = new Map<string, UnitMatch>();
    const searches: Array<{ key: string; matches: UnitMatch[] }> = [];
    let lastMatches: UnitMatch[] = [];

    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: OPENAI_SYSTEM_PROMPT },
      { role: 'system', content: leadContext(input, det.contactValid, det.language) },
      ...toChat(input),
      { role: 'system', content: turnContext(input.now, det.profile) },
    ];

    const timed = async <T>(name: string, fn: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> => {
      const t0 = performance.now();
      try {
        const value = await fn();
        toolCalls.push({ name, ok: true, ms: Math.round((performance.now() - t0) * 100) / 100 });
        return { ok: true, value };
      } catch (err) {
        toolCalls.push({ name, ok: false, ms: Math.round((performance.now() - t0) * 100) / 100 });
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    };

    const search = async (query: InventoryQuery): Promise<UnitMatch[]> => {
      const key = JSON.stringify(query);
      const found = await tools.inventorySearch(query);
      const matches = Array.isArray(found) ? found : [];
      for (const m of matches) seen.set(m.unit.id, m);
      searches.push({ key, matches });
      lastMatches = matches;
      return matches;
    };

    async function runTool(name: string, rawArgs: string): Promise<string> {
      if (!isToolName(name)) {
        toolCalls.push({ name, ok: false, ms: 0 });
        return JSON.stringify({ error: `unknown tool ${name}` });
      }
      let json: unknown;
      try {
        json = JSON.parse(rawArgs);
      } catch {
        toolCalls.push({ name, ok: false, ms: 0 });
        return JSON.stringify({ error: 'arguments are not valid JSON' });
      }
      switch (name) {
        case 'inventory_search': {
          // features came later than the other arguments: a model that leaves it out still searches
          const a = InventorySearchArgs.safeParse(json && typeof json === 'object' && !Array.isArray(json) ? { features: null, ...json } : json);
          if (!a.success) return invalidArgs(name, a.error);
          const query = normaliseQuery(a.data, det.profile, det.excluded, det.listing, market);
          const r = await timed(name, () => search(query));
          const concepts = askedFeatures([query.text ?? '', det.features.text]).concepts;
          return JSON.stringify(r.ok ? { query, units: r.value.slice(0, query.limit).map((m) => unitForModel(m, concepts)) } : { error: r.error });
        }
        case 'normalize_budget': {
          const a = TextArgs.safeParse(json);
          if (!a.success) return invalidArgs(name, a.error);
          const r = await timed(name, () => normalizeBudget(a.data.text, market, { expectBudget: true, listing: det.listing }));
          return JSON.stringify(r.ok ? { budget: r.value && { min: r.value.min, max: r.value.max, currency: r.value.currency, period: r.value.period } } : { error: r.error });
        }
        case 'geo_match': {
          const a = TextArgs.safeParse(json);
          if (!a.success) return invalidArgs(name, a.error);
          const r = await timed(name, () => geoMatch(a.data.text, market, det.profile.city));
          return JSON.stringify(r.ok ? r.value : { error: r.error });
        }
        case 'lead_score': {
          const a = ScoreArgs.safeParse(json);
          if (!a.success) return invalidArgs(name, a.error);
          const r = await timed(name, () => scoreLead(mergeProfile(det.profile, det.excluded, a.data.profile, market, det.contactValid), lastMatches, input.contact, market));
          return JSON.stringify(r.ok ? { score: r.value.score, qualified: r.value.qualified, breakdown: r.value.breakdown.map((b) => `${b.label} ${b.points}/${b.max}: ${b.reason}`) } : { error: r.error });
        }
      }
    }

    function invalidArgs(name: string, error: z.ZodError): string {
      toolCalls.push({ name, ok: false, ms: 0 });
      return JSON.stringify({ error: `invalid arguments: ${z.prettifyError(error)}` });
    }

    let repaired = false;
    let answer: LeadQualification | null = null;
    let cachedTokens = 0;
    let promptTokens = 0;
    for (let round = 0; answer === null; round++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`turn budget of ${turnTimeoutMs} ms spent`);
      if (round >= MAX_ROUNDS + 1) throw new InvalidOutputError('no final answer');
      const toolsLeft = toolCalls.length < MAX_TOOL_CALLS && round < MAX_ROUNDS;
      const completion: ChatCompletion = await client.chat.completions.create(
        {
          model: opts.model,
          messages,
          tools: TOOL_DEFS,
          // out of tool calls: the model must answer now
          tool_choice: toolsLeft ? 'auto' : 'none',
          response_format: RESPONSE_FORMAT,
        },
        // the SDK's timeout is per attempt; the signal holds retries to the turn's budget too
        { timeout: Math.max(1000, Math.min(25_000, remaining)), signal: AbortSignal.timeout(remaining) },
      );
      promptTokens += completion.usage?.prompt_tokens ?? 0;
      cachedTokens += completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
      const choice = completion.choices?.[0];
      const msg = choice?.message;
      if (!msg) throw new InvalidOutputError('no choices in the completion');

      const calls = (msg.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [c] : []));
      if (calls.length > 0) {
        messages.push({ role: 'assistant', content: msg.content ?? null, tool_calls: calls });
        for (const c of calls) {
          // every tool_call_id needs an answer, even the ones over the limit
          const content = toolCalls.length >= MAX_TOOL_CALLS
            ? JSON.stringify({ error: `tool call limit (${MAX_TOOL_CALLS}) reached for this turn; answer now with the information you have` })
            : await runTool(c.function.name, c.function.arguments);
          messages.push({ role: 'tool', tool_call_id: c.id, content });
        }
        if (toolsLeft) continue;
        // tools were refused and it asked anyway: that is the one repair
        if (repaired) throw new InvalidOutputError('kept calling tools after the limit');
        repaired = true;
        messages.push({ role: 'system', content: 'No more tool calls are allowed. Reply now with only the LeadQualification JSON.' });
        continue;
      }

      const checked = ((): { answer: LeadQualification } | { problem: string } => {
        if (msg.refusal) return { problem: `refusal: ${msg.refusal.slice(0, 200)}` };
        if (choice.finish_reason === 'length') return { problem: 'the answer was cut off (length)' };
        if (!msg.content) return { problem: 'empty answer' };
        let json: unknown;
        try {
          json = JSON.parse(msg.content);
        } catch {
          return { problem: 'the answer is not JSON' };
        }
        const parsed = LeadQualification.safeParse(json);
        if (!parsed.success) return { problem: `the answer does not match the schema: ${z.prettifyError(parsed.error)}` };
        if (!parsed.data.reply.trim()) return { problem: 'reply is empty' };
        const wrongScript = scriptProblem(parsed.data.reply, det.language);
        if (wrongScript) return { problem: wrongScript };
        const invented = parsed.data.unitIds.filter((id) => !seen.has(id));
        if (invented.length) return { problem: `unitIds ${invented.join(', ')} were not returned by inventory_search; mention only returned units` };
        return { answer: parsed.data };
      })();
      if ('answer' in checked) {
        answer = checked.answer;
        break;
      }
      const { problem } = checked;
      if (repaired) throw new InvalidOutputError(problem);
      repaired = true;
      log.debug({ leadId: input.leadId, problem }, 'openai agent: repairing an invalid answer');
      messages.push({ role: 'assistant', content: msg.content ?? '' });
      messages.push({ role: 'system', content: `Your answer was rejected: ${problem}. Reply again with only the LeadQualification JSON.` });
    }
    if (answer === null) throw new InvalidOutputError('no final answer');
    const final: LeadQualification = answer;

    // ---- the domain code decides the facts
    const profile = mergeProfile(det.profile, det.excluded, final.profile, market, det.contactValid);
    const listing = listingOf(profile, det.listing);
    let matches = lastMatches;
    if (profile.city !== null || profile.areas.length > 0) {
      const q = profileQuery(profile, listing, det.features.text);
      const same = searches.find((s) => s.key === JSON.stringify(q));
      if (same) matches = same.matches;
      else if (toolCalls.length < MAX_TOOL_CALLS) {
        const r = await timed('inventory_search', () => search(q));
        if (r.ok) matches = r.value;
      }
    }
    // the units the reply shows belong to the result, whatever search found them
    const shown = final.unitIds.flatMap((id) => (seen.get(id) && !matches.some((m) => m.unit.id === id) ? [seen.get(id)!] : []));
    matches = [...matches, ...shown];
    const qualification = scoreLead(profile, matches, input.contact, market);

    const intents: AgentIntent[] = [];
    const has = (kind: string, reason?: string) => det.intents.some((i) => i.kind === kind && (!reason || (i.kind === 'handoff' && i.reason === reason)));
    if (final.intents.includes('opt_out')) intents.push({ kind: 'opt_out' });
    else {
      if (has('not_interested') || final.intents.includes('not_interested')) intents.push({ kind: 'not_interested' });
      if (has('handoff', 'asked_for_human') || final.intents.includes('asked_for_human')) intents.push({ kind: 'handoff', reason: 'asked_for_human' });
      else if (qualification.qualified && !intents.length) intents.push({ kind: 'handoff', reason: 'qualified' });
    }
    log.debug({ leadId: input.leadId, toolCalls: toolCalls.length, promptTokens, cachedTokens }, 'openai agent turn');
    return {
      reply: final.reply.trim(),
      profile,
      qualification,
      matches,
      intents,
      toolCalls,
      askedFor: intents.some((i) => i.kind === 'opt_out' || i.kind === 'not_interested') ? null : final.askedFor,
      agent: 'openai',
      language: det.language,
    };
  }

  return {
    name: 'openai',
    async turn(input: AgentTurnInput, tools: AgentTools): Promise<AgentTurnResult> {
      const contactValid = contactValidity(input.contact, input.market).valid;
      const details = extractProfileDetailed(Array.isArray(input.messages) ? input.messages : [], input.market, input.now, input.formAnswers);
      const detected = await detector.turn(input, noStock);
      // Opt-out is honoured without asking the model: one fixed confirmation, nothing to sell.
      if (detected.intents.some((i) => i.kind === 'opt_out')) return detected;
      try {
        return await modelTurn(input, tools, {
          profile: { ...details.profile, contactValid },
          excluded: details.excludedAreas,
          listing: details.listing,
          contactValid,
          intents: detected.intents,
          // the offline agent's reading of the conversation's language: both agents answer in the same one
          language: detected.language ?? conversationLanguage(Array.isArray(input.messages) ? input.messages : []),
          features: askedFeatures([...recalledPreferences(input), ...(Array.isArray(input.messages) ? input.messages : []).filter((m) => m?.from === 'lead').map((m) => m.text)]),
        });
      } catch (err) {
        const { status, message } = describeError(err);
        const fields = { leadId: input.leadId, status, err: message, fallback: opts.fallback?.name ?? null };
        if (status === 401 || status === 403) log.error(fields, 'OPENAI_API_KEY was rejected: every turn is falling back until the key is fixed');
        else if (status === 400 || status === 404) log.error(fields, 'the OpenAI request was refused (model name or schema?); falling back');
        else log.warn(fields, 'openai agent turn failed; falling back');
        if (!opts.fallback) throw err;
        return opts.fallback.turn(input, tools);
      }
    },
  };
}
