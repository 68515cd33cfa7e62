import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { createOfflineAgent } from '../domain/agent/offline.agent';
import { createOpenAiAgent } from '../activities/agent/openai.agent';
import { env } from '../lib/env';
import type { Agent, AgentTools, InventoryQuery } from '../domain/agent.types';
import { rankUnits } from '../domain/inventory.matcher';
import { Channel, Contact, Market, Unit, type LeadProfile, type Qualification } from '../domain/profile.schema';

// `npm run eval -- --cases FILE.jsonl --inventory FILE.json --out PRED.jsonl`: every case goes
// through the same offline agent the product runs, with an in-memory inventory search that
// ranks with the production ranking (rankUnits). Prints per-field accuracy when cases carry
// `expected` (only the keys present are checked; areas compare as ordered arrays).
// `--agent openai` measures the OpenAI agent instead (needs OPENAI_API_KEY; OPENAI_MODEL and
// OPENAI_BASE_URL apply); turns that fell back to the offline agent are counted and reported.

export const EvalCase = z.object({
  id: z.string(),
  /** Language or kind of case (ar, arz, hi, hiEn, form, ...); when absent, the id's prefix before '-' is used. */
  lang: z.string().optional(),
  market: Market,
  now: z.string(),
  channel: Channel.default('whatsapp'),
  contact: Contact.partial().default({}).transform((c) => ({ name: c.name ?? null, phone: c.phone ?? null, email: c.email ?? null })),
  messages: z.array(z.object({ from: z.enum(['lead', 'agent', 'broker']), text: z.string() })),
  formAnswers: z.record(z.string(), z.string()).optional(),
  expected: z.record(z.string(), z.unknown()).optional(),
});
export type EvalCase = z.infer<typeof EvalCase>;

export interface Prediction {
  id: string;
  profile: LeadProfile;
  /** The agent's reply and the language it was written in. */
  reply: string;
  language: string | null;
  qualification: Pick<Qualification, 'score' | 'qualified' | 'breakdown' | 'reasons'>;
}

export const EVAL_FIELDS = ['persona', 'city', 'areas', 'propertyType', 'bedsMin', 'bedsMax', 'budgetMin', 'budgetMax', 'currency',
  'budgetPeriod', 'timeline', 'finance', 'contactValid', 'qualified'] as const;

export interface FieldStat { field: string; checked: number; correct: number; accuracy: number }
export interface GroupStat { group: string; cases: number; checked: number; correct: number; accuracy: number; perfectCases: number }
export interface EvalReport {
  predictions: Prediction[];
  fields: FieldStat[];
  checked: number;
  correct: number;
  accuracy: number;
  failures: Array<{ id: string; field: string; expected: unknown; got: unknown }>;
  /** Accuracy per language tag (the case's `lang`, else its id prefix). */
  groups: GroupStat[];
}

/** "ar-012" → "ar", "hiEn-003" → "hiEn", "p001" → "p". */
export function caseGroup(c: Pick<EvalCase, 'id' | 'lang'>): string {
  return c.lang ?? (/^([A-Za-z]+)[-_]/.exec(c.id)?.[1] ?? /^([A-Za-z]+)/.exec(c.id)?.[1] ?? 'other');
}

export function parseCases(jsonl: string): EvalCase[] {
  return jsonl.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('//'))
    .map((l, i) => {
      const parsed = EvalCase.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`case line ${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export function loadInventory(json: string): Unit[] {
  return z.array(Unit).parse(JSON.parse(json));
}

export function memoryInventoryTools(units: readonly Unit[]): AgentTools {
  return {
    async inventorySearch(query: InventoryQuery) {
      return rankUnits(units, query);
    },
  };
}

function same(expected: unknown, got: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(got) && expected.length === got.length && expected.every((e, i) => e === got[i]);
  return expected === got;
}

export async function runEval(cases: readonly EvalCase[], units: readonly Unit[], agent: Agent = createOfflineAgent()): Promise<EvalReport> {
  const tools = memoryInventoryTools(units);
  const predictions: Prediction[] = [];
  const stats = new Map<string, { checked: number; correct: number }>();
  const failures: EvalReport['failures'] = [];
  const groups = new Map<string, GroupStat>();
  for (const c of cases) {
    const res = await agent.turn({
      leadId: c.id, market: c.market, now: c.now, channel: c.channel, contact: c.contact, messages: c.messages, formAnswers: c.formAnswers,
    }, tools);
    const pred: Prediction = {
      id: c.id,
      profile: res.profile,
      reply: res.reply,
      language: res.language ?? null,
      qualification: { score: res.qualification.score, qualified: res.qualification.qualified, breakdown: res.qualification.breakdown, reasons: res.qualification.reasons },
    };
    predictions.push(pred);
    if (!c.expected) continue;
    const flat: Record<string, unknown> = { ...res.profile, qualified: res.qualification.qualified };
    const g = groups.get(caseGroup(c)) ?? { group: caseGroup(c), cases: 0, checked: 0, correct: 0, accuracy: 1, perfectCases: 0 };
    g.cases++;
    let perfect = true;
    for (const [field, exp] of Object.entries(c.expected)) {
      const s = stats.get(field) ?? { checked: 0, correct: 0 };
      s.checked++;
      g.checked++;
      if (same(exp, flat[field])) { s.correct++; g.correct++; }
      else { failures.push({ id: c.id, field, expected: exp, got: flat[field] }); perfect = false; }
      stats.set(field, s);
    }
    if (perfect) g.perfectCases++;
    g.accuracy = g.checked ? g.correct / g.checked : 1;
    groups.set(g.group, g);
  }
  const order = [...EVAL_FIELDS, ...[...stats.keys()].filter((k) => !(EVAL_FIELDS as readonly string[]).includes(k))];
  const fields: FieldStat[] = order.filter((f) => stats.has(f)).map((f) => {
    const s = stats.get(f)!;
    return { field: f, checked: s.checked, correct: s.correct, accuracy: s.checked ? s.correct / s.checked : 1 };
  });
  const checked = fields.reduce((a, f) => a + f.checked, 0);
  const correct = fields.reduce((a, f) => a + f.correct, 0);
  return { predictions, fields, checked, correct, accuracy: checked ? correct / checked : 1, failures, groups: [...groups.values()] };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' }, inventory: { type: 'string' }, out: { type: 'string' }, verbose: { type: 'boolean', short: 'v' },
      agent: { type: 'string', default: 'offline' },
    },
    allowPositionals: true,
  });
  if (!values.cases || !values.inventory || (values.agent !== 'offline' && values.agent !== 'openai')) {
    console.error('usage: npm run eval -- --cases FILE.jsonl --inventory FILE.json [--out PRED.jsonl] [--verbose] [--agent offline|openai]');
    process.exit(2);
  }
  let agent: Agent = createOfflineAgent();
  let fellBack = 0;
  if (values.agent === 'openai') {
    const e = env();
    if (!e.OPENAI_API_KEY) {
      console.error('--agent openai needs OPENAI_API_KEY');
      process.exit(2);
    }
    const openai = createOpenAiAgent({
      apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL,
      logger: pino({ level: 'warn' }, pino.destination(2)), fallback: createOfflineAgent(),
    });
    agent = {
      name: 'openai',
      async turn(input, tools) {
        const res = await openai.turn(input, tools);
        if (res.agent !== 'openai') fellBack++;
        return res;
      },
    };
  }
  const cases = parseCases(readFileSync(values.cases, 'utf8'));
  const units = loadInventory(readFileSync(values.inventory, 'utf8'));
  const report = await runEval(cases, units, agent);
  if (values.out) writeFileSync(values.out, report.predictions.map((p) => JSON.stringify(p)).join('\n') + '\n');
  console.log(`${cases.length} cases, ${units.length} units, ${values.agent} agent${values.out ? `, predictions in ${values.out}` : ''}`);
  if (values.agent === 'openai') console.log(`${fellBack} turns answered by the offline fallback (opt-outs always are)`);
  if (report.checked > 0) {
    console.table(report.fields.map((f) => ({ field: f.field, checked: f.checked, correct: f.correct, accuracy: `${(f.accuracy * 100).toFixed(1)}%` })));
    console.log(`overall field accuracy: ${(report.accuracy * 100).toFixed(2)}% (${report.correct}/${report.checked})`);
    if (report.groups.length > 1) {
      console.log('per language (case lang tag, else id prefix):');
      console.table(report.groups.map((g) => ({ group: g.group, cases: g.cases, 'all fields right': g.perfectCases, checked: g.checked, correct: g.correct, accuracy: `${(g.accuracy * 100).toFixed(1)}%` })));
    }
    if (values.verbose) for (const f of report.failures) console.log(`  ${f.id} ${f.field}: expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.got)}`);
    else if (report.failures.length) console.log(`${report.failures.length} mismatches (run with --verbose to list them)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
