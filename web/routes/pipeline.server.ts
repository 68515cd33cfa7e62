import { z } from 'zod';
import { MoveStageInput } from '../../domain/lead-command.contract';
import type { ApiAuth } from '~/lib/api.server';
import { leadCommand, listLeads, listBrokers, type BrokerItem } from './leads.server';

/** The board shows the newest 200 leads (the list API's page limit), grouped by stage in the page. */
export async function loadBoard(auth: ApiAuth) {
  const [leads, brokers] = await Promise.all([listLeads(auth, undefined, 200), listBrokers(auth).catch(() => [] as BrokerItem[])]);
  return { leads: leads.items, total: leads.total, brokers };
}

export const MoveCardForm = z.object({
  intent: z.literal('move'),
  leadId: z.string().uuid(),
  /** The column the card came from: lets the page show where it snaps back to. */
  from: z.string().max(40).optional(),
  stage: MoveStageInput.shape.stage,
  reason: MoveStageInput.shape.reason.default('moved on the pipeline board'),
});

export type MoveResult =
  | { ok: true; leadId: string; stage: string }
  | { ok: false; leadId: string | null; stage: string | null; error: { code: string; message: string } };

export async function moveCard(auth: ApiAuth, form: FormData): Promise<{ result: MoveResult; status: number }> {
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const parsed = MoveCardForm.safeParse(values);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
    return { result: { ok: false, leadId: values.leadId ?? null, stage: values.stage ?? null, error: { code: 'invalid_input', message } }, status: 422 };
  }
  const { leadId, stage, reason } = parsed.data;
  const res = await leadCommand<{ lead: { stage: string } }>(auth, leadId, 'stage', { stage, reason });
  if (!res.ok) return { result: { ok: false, leadId, stage, error: { code: res.code, message: res.message } }, status: res.status };
  return { result: { ok: true, leadId, stage: res.result.lead.stage }, status: 200 };
}
