import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConversationMessage } from '../domain/agent.types';
import { extractProfile } from '../domain/profile.extractor';
import type { Market } from '../domain/profile.schema';

// Extraction throughput on one core over the eval cases: every lead message is extracted in
// its conversation context (the profile up to and including that message), timed one by one.

export interface BenchRow { [column: string]: string | number }

interface Case { market: Market; now: string; messages: ConversationMessage[] }

function loadCases(): Case[] {
  const files = ['../test/evals/cases.own.jsonl', '../../shared/evals/cases.public.jsonl'];
  const out: Case[] = [];
  for (const f of files) {
    try {
      const text = readFileSync(fileURLToPath(new URL(f, import.meta.url)), 'utf8');
      for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line) as Case);
    } catch {
      // the public set lives outside the repo; the bench still runs on the own set alone
    }
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function runExtractionBench(opts: { rounds?: number } = {}): BenchRow[] {
  const cases = loadCases();
  const rounds = opts.rounds ?? 20;
  // each unit of work: one lead message, read in the context of the conversation before it
  const work: Array<{ c: Case; upto: number }> = [];
  for (const c of cases) c.messages.forEach((m, i) => { if (m.from === 'lead') work.push({ c, upto: i + 1 }); });
  for (const w of work.slice(0, 200)) extractProfile(w.c.messages.slice(0, w.upto), w.c.market, w.c.now); // warm-up
  const single: number[] = [];
  const startAll = performance.now();
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const w of work) {
      const msg = w.c.messages[w.upto - 1]!;
      const prev = w.c.messages.slice(0, w.upto - 1).reverse().find((m) => m.from !== 'lead');
      const t0 = performance.now();
      extractProfile(prev ? [prev, msg] : [msg], w.c.market, w.c.now);
      single.push(performance.now() - t0);
      n++;
    }
  }
  const total = performance.now() - startAll;
  const convT0 = performance.now();
  for (const c of cases) extractProfile(c.messages, c.market, c.now);
  const convMs = performance.now() - convT0;
  single.sort((a, b) => a - b);
  return [{
    bench: 'extraction',
    cases: cases.length,
    messages: n,
    'msgs/sec': Math.round(n / (total / 1000)),
    'p50 ms': +percentile(single, 50).toFixed(3),
    'p99 ms': +percentile(single, 99).toFixed(3),
    'max ms': +(single[single.length - 1] ?? 0).toFixed(3),
    'whole conversations/sec': Math.round(cases.length / (convMs / 1000)),
    target: '>= 5000 msgs/sec',
  }];
}
