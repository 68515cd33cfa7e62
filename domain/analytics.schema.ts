import { z } from 'zod';

// The manager analytics report (GET /analytics): one schema for the query, the response the
// API returns, the OpenAPI document and the web page. Leads are counted by the day they were
// created, inside [from, to] (whole UTC days, both ends included).

const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

export const AnalyticsQuery = z
  .object({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_RANGE_DAYS * DAY_MS, {
    message: `At most ${MAX_RANGE_DAYS} days at a time`,
    path: ['to'],
  });
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;

/** The window a query asks for: the last 30 days up to today (UTC) when it does not say. */
export function analyticsWindow(q: AnalyticsQuery, nowMs: number): { from: string; to: string } {
  const to = q.to ?? new Date(nowMs).toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

/** The funnel's stages in order; a lead counts in every stage up to the furthest it reached. */
export const FUNNEL_STAGES = ['new', 'engaged', 'qualified', 'handoff', 'claimed', 'viewing', 'won'] as const;

const Rate = z.number().min(0).max(1).nullable();
const Percentiles = z.object({ count: z.number().int(), p50Seconds: z.number().nullable(), p90Seconds: z.number().nullable() });

export const AnalyticsReport = z.object({
    from: z.string(),
    to: z.string(),
    totalLeads: z.number().int(),
    /** `rate`: share of the previous stage's leads that got this far (won: of viewing). */
    funnel: z.array(z.object({ stage: z.enum([...FUNNEL_STAGES, 'lost']), count: z.number().int(), rate: Rate })),
    breakdown: z.array(
      z.object({ dimension: z.enum(['channel', 'source', 'campaign']), key: z.string(), leads: z.number().int(), qualified: z.number().int(), qualifiedShare: Rate }),
    ),
    /** Ten-point buckets of the current score (`90` holds 90–100); unscored leads apart. */
    scores: z.object({ buckets: z.array(z.object({ from: z.number().int(), to: z.number().int(), count: z.number().int() })), unscored: z.number().int() }),
    /** First reply: from the lead's first message (or its creation, when we wrote first) to our first message out. Claim: from the handoff. */
    speed: z.array(
      z.object({ dimension: z.enum(['channel', 'broker']), key: z.string(), firstReply: Percentiles, timeToClaim: Percentiles }),
    ),
    /** Per claiming broker: claims made before the offer's SLA ran out. */
    sla: z.array(z.object({ brokerId: z.string(), claims: z.number().int(), withinSla: z.number().int(), compliance: Rate })),
    /** Conversations (leads that wrote) answered only by the AI: no broker message, never claimed. */
    aiOnly: z.object({ conversations: z.number().int(), aiOnly: z.number().int(), share: Rate }),
    /**
     * Follow-up effectiveness: per nudge step (1 = the first nudge after the lead went quiet;
     * the count starts over when the lead replies), nudges sent and how many the lead answered
     * before the next nudge and within `replyWindowHours`.
     */
    followUps: z.object({
      replyWindowHours: z.number().int(),
      steps: z.array(z.object({ step: z.number().int().min(1), sent: z.number().int(), replied: z.number().int(), replyRate: Rate })),
    }),
  });
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;
