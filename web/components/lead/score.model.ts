// One reading of the score for the whole page. A manual override wins: the header and the score
// card show the override (and its reason), and the model's breakdown is labelled as the model's,
// so the page never shows "20 / 100" above parts adding up to 86.

export interface ScorePartView {
  key: string;
  label: string;
  points: number;
  max: number;
  reason: string;
}

export interface ScoreView {
  value: number | null;
  qualified: boolean;
  override: { qualified: boolean; score: number | null; reason: string; by: string; at: string } | null;
  /** What the scoring model made of the conversation (the sum of its breakdown). */
  model: { score: number; parts: ScorePartView[]; reasons: string[] } | null;
}

interface Q {
  score: number;
  qualified: boolean;
  breakdown: ScorePartView[];
  reasons: string[];
}

export function scoreView(live: Q | null | undefined, stored: Q | null | undefined, override: ScoreView['override'] | undefined): ScoreView {
  const q = live ?? stored ?? null;
  const o = override ?? null;
  const parts = q?.breakdown.length ? q.breakdown : (stored?.breakdown ?? []);
  const model = parts.length ? { score: Math.round(parts.reduce((n, p) => n + p.points, 0)), parts, reasons: (q?.reasons ?? []).filter((r) => !r.startsWith('Manual:')) } : null;
  if (o) return { value: o.score ?? q?.score ?? null, qualified: o.qualified, override: o, model };
  return { value: q?.score ?? null, qualified: q?.qualified ?? false, override: null, model };
}
