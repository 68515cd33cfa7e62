import { z } from 'zod';
import { commandInputs } from '../../domain/lead-command.contract';
import { STAGES } from '../../domain/lead-stage.rules';
import type { LeadPage } from '../../domain/lead-summary.schema';
import { apiGet, type ApiAuth } from '~/lib/api.server';
import type { Auth } from '~/lib/session.server';
import type { BoardColumn, MoveResult } from '~/components/pipeline/pipeline.types';
import { leadCommand, listBrokers, type BrokerItem } from './leads.server';

/** Cards a column shows at first, and how many more each "Show more" adds (the API pages at 200). */
export const PAGE = 20;
const MAX = 200;

/** `?n.won=40` asks for 40 cards in Won; every other column shows the first page. */
function columnLimit(url: URL, stage: string): number {
  const n = Number(url.searchParams.get(`n.${stage}`));
  return Number.isInteger(n) && n > PAGE ? Math.min(n, MAX) : PAGE;
}

/**
 * One list call per stage, so each column has its true total and its own "show more"; a busy
 * brokerage's hundreds of leads never come down at once.
 */
export async function loadBoard(auth: ApiAuth, url: URL) {
  const [columns, brokers] = await Promise.all([
    Promise.all(
      STAGES.map(async (stage): Promise<BoardColumn> => {
        const limit = columnLimit(url, stage);
        const page = await apiGet<LeadPage>(auth, `/leads?status=${encodeURIComponent(stage)}&limit=${limit}`);
        return { stage, items: page.items, total: page.total, limit };
      }),
    ),
    listBrokers(auth).catch(() => [] as BrokerItem[]),
  ]);
  return { columns, brokers };
}

const { MoveStageInput } = commandInputs();
export const MoveCardForm = z.object({
  intent: z.literal('move'),
  leadId: z.string().uuid(),
  /** The column the card came from: lets the page show where it snaps back to. */
  from: z.string().max(40).optional(),
  // `claimed` is no manual stage: dropping there claims the lead for the signed-in broker.
  stage: z.union([MoveStageInput.shape.stage, z.literal('claimed')]),
  reason: MoveStageInput.shape.reason.default('moved on the pipeline board'),
});

type LeadAnswer = { lead: { stage: string; ownerId: string | null }; claimedBy?: string };

export async function moveCard(auth: Auth, form: FormData): Promise<{ result: MoveResult; status: number }> {
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'));
  const parsed = MoveCardForm.safeParse(values);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
    return { result: { ok: false, leadId: values.leadId ?? null, stage: values.stage ?? null, error: { code: 'invalid_input', message } }, status: 422 };
  }
  const { leadId, stage, reason } = parsed.data;
  if (stage === 'claimed' && !auth.user.brokerId) {
    return { result: { ok: false, leadId, stage, error: { code: 'not_a_broker', message: 'Only a broker claims a lead for themselves' } }, status: 409 };
  }
  const res = stage === 'claimed' ? await leadCommand<LeadAnswer>(auth, leadId, 'claim', {}) : await leadCommand<LeadAnswer>(auth, leadId, 'stage', { stage, reason });
  if (!res.ok) return { result: { ok: false, leadId, stage, error: { code: res.code, message: res.message } }, status: res.status };
  const claimed = stage === 'claimed' || Boolean(res.result.claimedBy);
  return { result: { ok: true, leadId, stage: res.result.lead.stage, ownerId: res.result.lead.ownerId, claimed }, status: 200 };
}
