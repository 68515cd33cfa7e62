import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { mapFormAnswers, type MappedFormAnswers } from './form-answer.mapper';
import type { InboundMessage } from './inbound-message.schema';

// Meta Lead Ads: the webhook (object "page", field "leadgen") carries ids only; the answers
// come from the Graph API (GET /{leadgen_id}). Both mappings are pure.

/**
 * Meta documents these ids as numbers in the webhook, and JSON.parse turns an id above
 * 2^53 into a different number. Call this on the raw body text (after the signature
 * check, which must see the original bytes) and before JSON.parse: it quotes bare numeric
 * ids so they arrive as exact strings.
 */
export function quoteLeadgenNumericIds(rawJson: string): string {
  return rawJson.replace(/"(leadgen_id|page_id|form_id|ad_id|adgroup_id)"(\s*:\s*)(\d+)(?=\s*[,}])/g, '"$1"$2"$3"');
}

/** A Graph id as JSON string or number; an unsafe integer would already be corrupted. */
const GraphId = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && v >= 0) return String(v);
    ctx.addIssue({ code: 'custom', message: 'numeric id above 2^53 lost precision in JSON.parse; quote ids with quoteLeadgenNumericIds first' });
    return z.NEVER;
  }
  if (/^\d+$/.test(v)) return v;
  ctx.addIssue({ code: 'custom', message: 'expected a numeric id' });
  return z.NEVER;
});

export const LeadgenChangeValueSchema = z.looseObject({
  leadgen_id: GraphId,
  page_id: GraphId,
  form_id: GraphId,
  ad_id: GraphId.optional(),
  adgroup_id: GraphId.optional(),
  created_time: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
});

export const LeadgenWebhookEnvelope = z.looseObject({
  object: z.literal('page'),
  entry: z.array(
    z.looseObject({
      id: z.union([z.string(), z.number()]).transform(String),
      time: z.number().optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
export type LeadgenWebhookEnvelope = z.infer<typeof LeadgenWebhookEnvelope>;

export interface LeadgenRef {
  leadgenId: string;
  pageId: string;
  formId: string;
  /** Absent for organic leads and for the Lead Ads testing tool. */
  adId?: string;
  adgroupId?: string;
  /** ISO date-time. */
  createdTime: string;
}

export interface LeadgenSkipped {
  reason: 'invalid_envelope' | 'unhandled_field' | 'invalid_change_value';
  field?: string;
  leadgenId?: string;
  detail?: string;
}

export interface LeadgenWebhookResult {
  refs: LeadgenRef[];
  skipped: LeadgenSkipped[];
}

export function mapLeadgenWebhookBody(body: unknown): LeadgenWebhookResult {
  const parsed = LeadgenWebhookEnvelope.safeParse(body);
  if (!parsed.success) return { refs: [], skipped: [{ reason: 'invalid_envelope', detail: issues(parsed.error) }] };
  return mapLeadgenWebhook(parsed.data);
}

export function mapLeadgenWebhook(envelope: LeadgenWebhookEnvelope): LeadgenWebhookResult {
  const result: LeadgenWebhookResult = { refs: [], skipped: [] };
  const seen = new Set<string>();
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'leadgen') {
        result.skipped.push({ reason: 'unhandled_field', field: change.field });
        continue;
      }
      const v = LeadgenChangeValueSchema.safeParse(change.value);
      if (!v.success) {
        const raw = (change.value as Record<string, unknown> | null)?.leadgen_id;
        result.skipped.push({
          reason: 'invalid_change_value',
          field: change.field,
          ...((typeof raw === 'string' || typeof raw === 'number') && { leadgenId: String(raw) }),
          detail: issues(v.error),
        });
        continue;
      }
      const d = v.data;
      // Meta may batch the same lead twice in one delivery; the edge dedupes across deliveries.
      if (seen.has(d.leadgen_id)) continue;
      seen.add(d.leadgen_id);
      result.refs.push({
        leadgenId: d.leadgen_id,
        pageId: d.page_id,
        formId: d.form_id,
        ...(d.ad_id !== undefined && { adId: d.ad_id }),
        ...(d.adgroup_id !== undefined && { adgroupId: d.adgroup_id }),
        createdTime: Number.isFinite(d.created_time * 1000) && Math.abs(d.created_time * 1000) <= 8.64e15 ? new Date(d.created_time * 1000).toISOString() : new Date(0).toISOString(),
      });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Graph API lead.
// ---------------------------------------------------------------------------------------

export const GraphLeadSchema = z.looseObject({
  id: GraphId,
  created_time: z.string(),
  field_data: z.array(z.looseObject({ name: z.string(), values: z.array(z.union([z.string(), z.number(), z.boolean()])).default([]) })).default([]),
  ad_id: GraphId.optional(),
  ad_name: z.string().optional(),
  adset_id: GraphId.optional(),
  campaign_id: GraphId.optional(),
  form_id: GraphId.optional(),
  is_organic: z.boolean().optional(),
  platform: z.string().optional(),
  partner_name: z.string().optional(),
  custom_disclaimer_responses: z.array(z.looseObject({ checkbox_key: z.string(), is_checked: z.union([z.string(), z.boolean()]) })).optional(),
});
export type GraphLead = z.infer<typeof GraphLeadSchema>;

export interface LeadgenContact {
  name?: string;
  /** E.164 when the number parses, otherwise the raw answer trimmed. */
  phone?: string;
  phoneValid: boolean;
  /** The phone answer exactly as the person typed it. */
  phoneRaw?: string;
  /** E.164 when the answer parses leniently (a possible number, the market as default region), even if strict validation fails. */
  phoneLenient?: string;
  email?: string;
}

export interface MappedGraphLead {
  contact: LeadgenContact;
  /** Every field_data entry, keyed by Meta's field name (standard or custom question, any language). */
  formAnswers: Record<string, string>;
  /** Each answer mapped to the profile field it answers, kept as the lead's words, or kept as a note. */
  answers: MappedFormAnswers;
  attribution: {
    source: 'leadads';
    leadgen_id: string;
    ad_id: string | null;
    form_id: string | null;
    campaign_id: string | null;
    is_organic: boolean | null;
    platform: string | null;
  };
  message: InboundMessage;
}

export interface MapGraphLeadOptions {
  /** Region for phone answers typed without a country code (e.g. "AE", "ES"). */
  defaultCountry?: CountryCode;
  /** Used when the webhook ref knows the form but the lead response omits it. */
  ref?: Pick<LeadgenRef, 'formId' | 'adId'>;
}

const NAME_KEYS = ['full_name', 'name'];
const PHONE_KEYS = ['phone_number', 'phone', 'work_phone_number', 'mobile_number'];
const EMAIL_KEYS = ['email', 'work_email', 'email_address'];

export function mapGraphLead(lead: GraphLead, options: MapGraphLeadOptions = {}): MappedGraphLead {
  const formAnswers: Record<string, string> = {};
  for (const field of lead.field_data) {
    const value = field.values.map(String).map((v) => v.trim()).filter(Boolean).join(', ');
    if (value) formAnswers[field.name] = value;
  }
  for (const d of lead.custom_disclaimer_responses ?? []) {
    formAnswers[`disclaimer:${d.checkbox_key}`] = String(d.is_checked === true || d.is_checked === '1' || d.is_checked === 'true');
  }

  const pick = (keys: string[]) => keys.map((k) => formAnswers[k]).find((v) => v !== undefined);
  const name = pick(NAME_KEYS) ?? ([formAnswers.first_name, formAnswers.last_name].filter(Boolean).join(' ') || undefined);
  const rawPhone = pick(PHONE_KEYS);
  const phone = rawPhone ? normalizePhone(rawPhone, options.defaultCountry) : undefined;
  const rawEmail = pick(EMAIL_KEYS);
  const email = rawEmail ? rawEmail.trim().toLowerCase() : undefined;

  const attribution = {
    source: 'leadads' as const,
    leadgen_id: lead.id,
    ad_id: lead.ad_id ?? options.ref?.adId ?? null,
    form_id: lead.form_id ?? options.ref?.formId ?? null,
    campaign_id: lead.campaign_id ?? null,
    is_organic: lead.is_organic ?? null,
    platform: lead.platform ?? null,
  };

  const lines = Object.entries(formAnswers).map(([k, v]) => `${k}: ${v}`);
  const message: InboundMessage = {
    providerId: lead.id,
    channel: 'leadads',
    kind: 'leadgen',
    text: lines.join('\n'),
    receivedAt: graphTimeToIso(lead.created_time),
    formAnswers,
    attribution,
  };

  return {
    contact: {
      ...(name !== undefined && { name }),
      ...(phone !== undefined && { phone: phone.value }),
      phoneValid: phone?.valid ?? false,
      ...(rawPhone !== undefined && { phoneRaw: rawPhone.trim() }),
      ...(phone?.lenient !== undefined && { phoneLenient: phone.lenient }),
      ...(email !== undefined && { email }),
    },
    formAnswers,
    answers: mapFormAnswers(formAnswers),
    attribution,
    message,
  };
}

function normalizePhone(raw: string, defaultCountry: CountryCode | undefined): { value: string; valid: boolean; lenient?: string } {
  const trimmed = raw.trim().replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (parsed && parsed.isValid()) return { value: parsed.number, valid: true, lenient: parsed.number };
  // Strict validation fails on new ranges and typos in the national part; a possible number
  // still matches the person's WhatsApp contact (wa_id → E.164), so it is kept for matching.
  return { value: raw.trim(), valid: false, ...(parsed?.isPossible() && { lenient: parsed.number }) };
}

/** Graph returns "2015-02-28T08:49:14+0000"; make the offset ISO-8601 strict before parsing. */
export function graphTimeToIso(value: string): string {
  const fixed = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(fixed);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

function issues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
