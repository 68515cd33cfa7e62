import { z } from 'zod';

// Every duration the lead workflow waits on (#4). Read by the worker and handed to each lead's
// workflow once, so workflow code never reads configuration itself.
export const lifecycleEnv = {
  // ---- Lead lifecycle (#4): every duration the lead workflow waits on. Read by the worker and
  // handed to each lead's workflow once, so workflow code never reads configuration itself.
  /** A named broker's time to claim a handed-off lead, and to answer a lead who wrote to them. */
  HANDOFF_SLA_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
  /** Missed claims before a lead goes to the shared pool (and an alert is raised). */
  HANDOFF_MAX_ESCALATIONS: z.coerce.number().int().min(1).max(20).default(3),
  /** Follow-up offsets after our last answer, strictly increasing, comma-separated ms. */
  FOLLOW_UP_CADENCE_MS: z
    .string()
    .default([10 * 60_000, 86_400_000, 3 * 86_400_000, 7 * 86_400_000].join(','))
    .transform((v, ctx) => {
      const list = v.split(',').map((x) => Number(x.trim()));
      if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1000) || list.some((n, i) => i > 0 && n <= list[i - 1]!)) {
        ctx.addIssue({ code: 'custom', message: 'a comma-separated list of strictly increasing integers (ms, each at least 1000)' });
        return z.NEVER;
      }
      return list;
    }),
  /** After the cadence: one nurture nudge per interval, up to FOLLOW_UP_NURTURE_UNTIL_MS after our last answer. */
  FOLLOW_UP_NURTURE_EVERY_MS: z.coerce.number().int().min(0).default(30 * 86_400_000),
  FOLLOW_UP_NURTURE_UNTIL_MS: z.coerce.number().int().min(0).default(90 * 86_400_000),
  /** Most a lead's nudge is moved later (per lead, capped at a quarter of its gap) so a campaign's nudges do not all fall due at once (0: off). */
  FOLLOW_UP_JITTER_MS: z.coerce.number().int().min(0).default(15 * 60_000),
  /** No nudges between these local times (the lead's time zone); wraps midnight. Equal times: off. */
  QUIET_HOURS: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM-HH:MM').default('21:00-08:00'),
  /** Continue-as-new after this many history events as well as when the server suggests it (0: only then). */
  LEAD_CONTINUE_AS_NEW_AFTER_EVENTS: z.coerce.number().int().refine((n) => n === 0 || n >= 50, '0 or at least 50').default(0),
};
