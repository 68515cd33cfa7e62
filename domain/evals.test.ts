import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { caseGroup, loadInventory, parseCases, runEval, type EvalCase } from '../scripts/eval';

// The eval suite in the unit tests: the public SPEC cases and the project's own cases run
// through the same offline agent and in-memory inventory search as `npm run eval`.
// Bars: public >= 95% field accuracy (SPEC); own set >= 98% overall and >= 95% on every field;
// the independent set (hand-written, not generated, written before reading the parsers) aims
// for 100% and must stay >= 95% overall and on every field; so does the second independent set
// (cases.independent-2.jsonl: long rambling messages, several markets, other wording).
// The multilingual set (cases.multilingual.jsonl, tagged by `lang`: ar, arz, hi, hiEn, form, noise,
// mix) aims for 100% and must stay >= 98% overall and >= 95% on every field and every language.

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const units = loadInventory(readFileSync(here('../db/seeds/inventory.json'), 'utf8'));

function readCases(candidates: string[]): ReturnType<typeof parseCases> | null {
  for (const c of candidates) {
    try {
      return parseCases(readFileSync(c, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return null;
}

// Each set runs hundreds of agent turns: on a busy 2-core machine that outlasts the default 5 s.
describe('eval cases', { timeout: 120_000 }, () => {
  const pub = readCases([here('../../shared/evals/cases.public.jsonl'), here('../test/evals/cases.public.jsonl')]);
  it.runIf(pub !== null)('public SPEC cases score >= 95% field accuracy', async () => {
    const report = await runEval(pub!, units);
    expect(report.checked).toBeGreaterThan(200);
    expect(report.failures).toEqual([]);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('own cases (>= 200) score >= 98% overall and >= 95% on every field', async () => {
    const own = readCases([here('../test/evals/cases.own.jsonl')])!;
    expect(own.length).toBeGreaterThanOrEqual(200);
    expect(new Set(own.map((c) => c.market))).toEqual(new Set(['AE', 'GB', 'US', 'IN']));
    const report = await runEval(own, units);
    expect(report.accuracy, JSON.stringify(report.failures.slice(0, 10))).toBeGreaterThanOrEqual(0.98);
    for (const f of report.fields) expect(f.accuracy, f.field).toBeGreaterThanOrEqual(0.95);
  });

  it('independent hand-written cases (>= 150) score >= 95% overall and on every field (aim: 100%)', async () => {
    const ind = readCases([here('../test/evals/cases.independent.jsonl')])!;
    expect(ind.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ind.map((c) => c.market))).toEqual(new Set(['AE', 'GB', 'US', 'IN']));
    const report = await runEval(ind, units);
    expect(report.accuracy, JSON.stringify(report.failures.slice(0, 10))).toBeGreaterThanOrEqual(0.95);
    for (const f of report.fields) expect(f.accuracy, f.field).toBeGreaterThanOrEqual(0.95);
  });

  it('second independent hand-written set (>= 150) scores >= 95% overall and on every field (aim: 100%)', async () => {
    const ind2 = readCases([here('../test/evals/cases.independent-2.jsonl')])!;
    expect(ind2.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ind2.map((c) => c.market))).toEqual(new Set(['AE', 'GB', 'US', 'IN']));
    const report = await runEval(ind2, units);
    expect(report.accuracy, JSON.stringify(report.failures.slice(0, 10))).toBeGreaterThanOrEqual(0.95);
    for (const f of report.fields) expect(f.accuracy, f.field).toBeGreaterThanOrEqual(0.95);
  });

  it('multilingual cases (>= 220: Arabic, Arabizi, Hindi, Hinglish, forms, non-lead text) score >= 98% overall, >= 95% per field and per language', async () => {
    const ml = readCases([here('../test/evals/cases.multilingual.jsonl')])!;
    expect(ml.length).toBeGreaterThanOrEqual(220);
    const groups = new Set(ml.map((c) => caseGroup(c)));
    for (const g of ['ar', 'arz', 'hi', 'hiEn', 'form']) expect(groups).toContain(g);
    const report = await runEval(ml, units);
    expect(report.accuracy, JSON.stringify(report.failures.slice(0, 10))).toBeGreaterThanOrEqual(0.98);
    for (const f of report.fields) expect(f.accuracy, f.field).toBeGreaterThanOrEqual(0.95);
    for (const g of report.groups) expect(g.accuracy, g.group).toBeGreaterThanOrEqual(0.95);
  });
});

describe('replies in the lead\'s language', () => {
  const one = (id: string, market: EvalCase['market'], messages: EvalCase['messages']): EvalCase =>
    ({ id, market, now: '2026-11-23', channel: 'whatsapp', contact: { name: null, phone: '+971501234567', email: null }, messages });
  const lead = (text: string) => ({ from: 'lead' as const, text });
  const agent = (text: string) => ({ from: 'agent' as const, text });

  it('answers the Arabic villa lead in Arabic, with what it understood and without asking for the area', async () => {
    const { predictions: [p] } = await runEval([one('ar1', 'AE', [lead('مرحبا، أبحث عن فيلا 4 غرف نوم في دبي هيلز بميزانية 8 مليون درهم، الدفع نقداً')])], units);
    expect(p!.language).toBe('ar');
    expect(p!.profile).toMatchObject({ areas: ['Dubai Hills Estate'], propertyType: 'villa', bedsMin: 4, budgetMax: 8_000_000, finance: 'cash' });
    expect(p!.reply).toMatch(/^[\u0600-\u06ff]/);
    expect(p!.reply).toContain('دبي هيلز');
    expect(p!.reply).not.toMatch(/\b(?:area|which|what|budget|Hi|Thanks)\b/);
    expect(p!.reply).not.toMatch(/أي منطقة|منطقة أو مجتمع|وين تحب/);
  });

  it('answers Hinglish in Hinglish and Devanagari in Devanagari, and keeps the language through bare answers', async () => {
    const { predictions } = await runEval([
      one('h1', 'IN', [lead('Powai mein 2 BHK chahiye rent pe')]),
      one('h2', 'IN', [lead('मुझे पवई में 2 BHK फ्लैट किराए पर चाहिए')]),
      one('h3', 'IN', [lead('Powai mein 2 BHK chahiye rent pe'), agent('Aapka budget kitna hai?'), lead('50k')]),
    ], units);
    expect(predictions.map((p) => p.language)).toEqual(['hi-Latn', 'hi', 'hi-Latn']);
    expect(predictions[0]!.reply).toMatch(/Powai mein 2 BHK flat/);
    expect(predictions[1]!.reply).toMatch(/पवई में 2 BHK फ्लैट/);
    expect(predictions[2]!.profile).toMatchObject({ budgetMax: 50_000, budgetPeriod: 'month' });
  });

  it('hands off when the lead says yes to our Arabic call offer', async () => {
    const offer = 'يسعدني أن يتصل بك أحد مستشارينا العقاريين لترتيب المعاينات. هل يناسبك ذلك؟';
    const { predictions: [p] } = await runEval([one('ar2', 'AE', [lead('أبحث عن فيلا للشراء في دبي هيلز، ٤ غرف، ٨ مليون، كاش، خلال شهر'), agent(offer), lead('نعم أكيد')])], units);
    expect(p!.reply).toMatch(/^[\u0600-\u06ff]/);
    expect(p!.reply).toMatch(/سيتصل بك/);
  });

  it('names the area of a pin inside it, and asks for the area of a pin near none, in the lead\'s language', async () => {
    const { predictions: [inMarina, nowhere] } = await runEval([
      one('pin1', 'AE', [lead('أبحث عن شقة للإيجار'), agent('أي منطقة تفضّل؟'), lead('[location: (25.0771, 55.1396)]')]),
      one('pin2', 'AE', [lead('أبحث عن شقة للإيجار'), agent('أي منطقة تفضّل؟'), lead('[location: Al Qudra Lakes (24.83, 55.37)]')]),
    ], units);
    expect(inMarina!.profile.areas).toEqual(['Dubai Marina']);
    expect(inMarina!.reply).toContain('دبي مارينا');
    expect(nowhere!.profile.areas).toEqual([]);
    expect(nowhere!.reply).toMatch(/ما اسم/);
  });
});
