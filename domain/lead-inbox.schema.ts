import { z } from 'zod';
import { StageSchema } from './lead-stage.schema';
import { Channel } from './profile.schema';

// The Lead Inbox's query: one schema for the API (`GET /leads` validates with it and answers
// 400 naming the bad parameter), the web page (which reads the same names from its URL, so a
// view is a link) and the tests. Unknown parameters are refused rather than ignored: a typo
// that silently shows every lead, or none, is how hot leads get missed.

export const INBOX_SORTS = ['score', 'sla', 'last_message', 'created'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

/** Yes/no flags as a URL or an HTML checkbox sends them. */
const Flag = z
  .enum(['true', 'false', '1', '0', 'on', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'on' || v === 'yes');

/** An empty form field (a GET form sends every field) means "not set". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/** Text a person typed into a filter: no control characters (a NUL would reach Postgres). */
const Text = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

/** `mine` (the signed-in broker), `unclaimed` (the pool), or a broker id. */
const OwnerFilter = z.union([z.enum(['mine', 'unclaimed']), z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'a broker id, "mine" or "unclaimed"')]);

export const LeadListQuery = z
  .object({
    stage: optional(StageSchema),
    /** The old name of `stage`, still accepted. */
    status: optional(StageSchema),
    owner: optional(OwnerFilter),
    channel: optional(Channel),
    qualified: optional(Flag),
    optedOut: optional(Flag),
    needsReply: optional(Flag),
    slaBreached: optional(Flag),
    minScore: optional(z.coerce.number().int().min(0).max(100)),
    /** First-touch source (`leadads`, a click-to-WhatsApp `ad`, a channel) and Lead Ads / ad campaign id. */
    source: optional(Text(80)),
    campaign: optional(Text(120)),
    /** Name, phone, email or message text. */
    q: optional(Text(200)),
    sort: optional(z.enum(INBOX_SORTS)).transform((v) => v ?? 'created'),
    /** From the previous page's `nextCursor`; opaque to clients. */
    cursor: optional(z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'a cursor from a previous page')),
    limit: optional(z.coerce.number().int().min(1).max(200)).transform((v) => v ?? 50),
    /** Offset paging for clients that predate cursors; ignored with a cursor. */
    offset: optional(z.coerce.number().int().min(0).max(100_000)).transform((v) => v ?? 0),
  })
  .strict();
export type LeadListQuery = z.infer<typeof LeadListQuery>;

/** The filters a view sets (everything but paging). */
export type LeadListFilters = Omit<LeadListQuery, 'cursor' | 'limit' | 'offset'>;

export interface SavedView {
  id: string;
  label: string;
  /** The query string it stands for: the view is just a link. */
  params: Record<string, string>;
}

export const SAVED_VIEWS: readonly SavedView[] = [
  { id: 'hot', label: 'My hot leads', params: { owner: 'mine', minScore: '60', sort: 'score' } },
  { id: 'unclaimed', label: 'Unclaimed', params: { owner: 'unclaimed', sort: 'score' } },
  { id: 'needs-reply', label: 'Needs reply', params: { needsReply: 'true', sort: 'last_message' } },
  { id: 'sla-breached', label: 'SLA breached', params: { slaBreached: 'true', sort: 'sla' } },
];

/** The saved view a query string is exactly, if any (so its link shows as current). */
export function viewOf(params: URLSearchParams): SavedView | null {
  const keys = [...params.keys()].filter((k) => params.get(k) !== '' && k !== 'cursor');
  return (
    SAVED_VIEWS.find((v) => {
      const wanted = Object.entries(v.params);
      return wanted.length === keys.length && wanted.every(([k, val]) => params.get(k) === val);
    }) ?? null
  );
}

/** A parse failure as one readable sentence per bad parameter, for the 400 envelope and the page. */
export function describeQueryError(error: z.ZodError): { message: string; details: Record<string, string> } {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details[key] = 'unknown parameter';
      continue;
    }
    const key = String(issue.path[0] ?? 'query');
    details[key] ??= issue.message;
  }
  const message = `Invalid query: ${Object.entries(details)
    .map(([k, m]) => `${k} (${m})`)
    .join(', ')}`;
  return { message, details };
}
