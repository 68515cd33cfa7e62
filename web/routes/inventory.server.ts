import { z } from 'zod';
import { apiGet, apiPost, type ApiAuth } from '~/lib/api.server';
import type { Unit } from '../../domain/profile.schema';
import type { LeadSummary } from '../../domain/lead-summary.schema';
import { listLeads } from './leads.server';

// The brokers' inventory page: search in words with filters (GET /inventory/search), one unit's
// detail (GET /inventory/:id), and "send to lead" (POST /leads/:id/units), all through the API.

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

export const InventoryFilters = z.object({
  q: z.preprocess(blank, z.string().trim().max(500).optional()),
  listing: z.preprocess(blank, z.enum(['sale', 'rent']).optional()),
  city: z.preprocess(blank, z.string().trim().max(80).optional()),
  area: z.preprocess(blank, z.string().trim().max(80).optional()),
  beds: z.preprocess(blank, z.coerce.number().int().min(0).max(20).optional()),
  maxPrice: z.preprocess(blank, z.coerce.number().positive().max(1e11).optional()),
  /** The unit whose detail is open. */
  unit: z.preprocess(blank, z.string().trim().max(64).optional()),
  /** The lead to send to, when the page was opened from a lead. */
  lead: z.preprocess(blank, z.string().uuid().optional()),
});
export type InventoryFilters = z.infer<typeof InventoryFilters>;

/** One search result as GET /inventory/search returns it. */
export interface InventoryMatch {
  unit: Unit;
  score: number;
  reasons: string[];
  match: { fit: number; similarity: number | null; features: string[]; missing: string[] };
}

export async function loadInventory(auth: ApiAuth, url: URL) {
  const parsed = InventoryFilters.safeParse(Object.fromEntries(url.searchParams));
  const filters: InventoryFilters = parsed.success ? parsed.data : {};
  const search = new URLSearchParams();
  for (const key of ['q', 'listing', 'city', 'area', 'beds', 'maxPrice'] as const) {
    const v = filters[key];
    if (v !== undefined) search.set(key, String(v));
  }
  search.set('limit', '20');
  const searched = [...search.keys()].length > 1;
  const [results, unit, leads] = await Promise.all([
    searched ? apiGet<{ items: InventoryMatch[] }>(auth, `/inventory/search?${search}`).then((r) => r.items) : Promise.resolve(null),
    filters.unit ? apiGet<Unit>(auth, `/inventory/${encodeURIComponent(filters.unit)}`).catch(() => null) : Promise.resolve(null),
    // the lead picker: leads the user can see, newest first (a broker sends only to leads they own)
    listLeads(auth, undefined, 100).then((p) => p.items).catch(() => [] as LeadSummary[]),
  ]);
  return { filters, invalid: parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), results, unit, leads };
}

const SendUnitForm = z.object({ intent: z.literal('send'), leadId: z.string().uuid('pick a lead'), unitId: z.string().trim().min(1, 'pick a unit').max(64) });

export type SendUnitResult =
  | { ok: true; leadId: string; unitId: string; notice: string }
  | { ok: false; leadId: string | null; unitId: string | null; error: { code: string; message: string } };

export async function sendUnit(auth: ApiAuth, form: FormData): Promise<{ result: SendUnitResult; status: number }> {
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const parsed = SendUnitForm.safeParse(values);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => i.message).join('; ');
    return { result: { ok: false, leadId: values.leadId ?? null, unitId: values.unitId ?? null, error: { code: 'invalid_input', message } }, status: 422 };
  }
  const { leadId, unitId } = parsed.data;
  const res = await apiPost<{ message: { status: string }; unit: { id: string; title: string }; why: string[] }>(auth, `/leads/${encodeURIComponent(leadId)}/units`, { unitId });
  if (!res.ok) return { result: { ok: false, leadId, unitId, error: { code: res.code, message: res.message } }, status: res.status };
  const why = res.data.why.length > 0 ? ` (why: ${res.data.why.join(', ')})` : '';
  return { result: { ok: true, leadId, unitId, notice: `Sent ${res.data.unit.title} to the lead: ${res.data.message.status}${why}` }, status: 200 };
}
