import { deprecatePatch, patched } from '@temporalio/workflow';

// Every patch of the lead workflow, and the run's gate that answers for them. A step asks
// `run.has(id)`; only this file calls `patched`.

/**
 * A run that starts under this patch has every lead patch that came before it: it asks for none
 * of them (#13). Each patch a run asks for records a marker, and the SDK adds an upsert of the
 * `TemporalChangeVersion` search attribute with it (a visibility write on the server), so a new
 * lead's first message wrote four markers and four upserts for patches every new run has anyway.
 * Runs started before it find no marker for it on replay and ask for the old patches one by one,
 * as they did when they ran.
 *
 * Like any patch it must stay until no run started before it is open, and a worker without it
 * cannot replay a run started with it (ADR 004, ADR 013).
 */
export const PATCHES_FOLDED = 'lead-patches-folded-v1';

/**
 * Every lead that ran before this patch has ended, so its old branch is gone. Histories written
 * while it was `patched()` carry its marker, which only a `patched` or `deprecatePatch` call at
 * the run's start accepts on replay; runs from before PATCHES_FOLDED still make that call. Delete
 * it once no run started before the lifecycle patch was deprecated is open (then only deprecated
 * markers are left, which replay skips). See ADR 004.
 */
export const LIFECYCLE_PATCH = 'lead-lifecycle-v1';

/**
 * Speed to lead (#13): the short database steps around a reply run as local activities, inside
 * the workflow task that needs them, instead of a task-queue round trip and a workflow task of
 * their own each; the memory write moves after the reply (lead.proxies.ts). Histories from
 * before the patch scheduled normal activities and replay that way.
 */
export const FAST_REPLY_PATCH = 'lead-fast-reply-v1';

/**
 * From this patch on the agent turn sends its own reply (`deliver` in its input): the answer
 * leaves one task-queue round trip and one workflow task sooner (#13, ADR 017). deliverReply
 * remains the fallback when the turn did not send.
 */
export const REPLY_IN_TURN_PATCH = 'lead-reply-in-turn-v1';

/** Search attributes are upserted only when a value changed (#13): each upsert is a command and a history event per turn. */
export const SEARCH_ATTRIBUTES_ON_CHANGE_PATCH = 'search-attributes-on-change-v1';

/**
 * Activities give up after a bounded number of attempts; from this patch on the lead records an
 * alert and goes on instead of failing its run. Runs whose history predates it (none had a
 * failed activity but the agent's) keep failing the way they did.
 */
export const ACTIVITY_ALERTS_PATCH = 'lead-activity-alerts-v1';

/** What a burst asks beyond an answer (lead-actions.step.ts): every call there is new to a lead's history. */
export const INBOUND_ACTIONS_PATCH = 'lead-inbound-actions-v1';

/**
 * A message the provider accepted failed later (a status webhook: 131049, blocked, …): the
 * alert is already raised at the edge; a hot lead also gets the call task and the handoff, once
 * while the task is open. New commands on a lead's history, so behind their own patch (asked
 * only when the signal came, which no earlier history holds).
 */
export const DELIVERY_FAILED_PATCH = 'lead-delivery-failed-v1';

/** START on a channel opts the person back in (inbound.step.ts). */
export const OPT_IN_PATCH = 'lead-opt-in-v1';

/**
 * What PATCHES_FOLDED stands for. Never add to it: a patch made later is asked with `patched()`
 * by every run, folded or not, since a folded run started before that patch lacks it.
 */
export const FOLDED_PATCH_IDS: ReadonlySet<string> = new Set([
  LIFECYCLE_PATCH,
  FAST_REPLY_PATCH,
  REPLY_IN_TURN_PATCH,
  SEARCH_ATTRIBUTES_ON_CHANGE_PATCH,
  ACTIVITY_ALERTS_PATCH,
  INBOUND_ACTIONS_PATCH,
  DELIVERY_FAILED_PATCH,
  OPT_IN_PATCH,
]);

/**
 * Routing a handoff (the round-robin pick, one short query) runs as a local activity, inside the
 * workflow task that asked for it: a handed-off lead's first message costs one task-queue round
 * trip and one workflow task fewer (#13). Runs declared with PATCH_FOLD have it; every other run
 * asks for it where it routes.
 */
export const LOCAL_ROUTING_PATCH = 'lead-local-routing-v1';

/**
 * What a run declared with fold 1 has without asking: the folded patches and those made with
 * the declaration. Never add to it either: a patch made later is asked by every run declared
 * with an earlier fold.
 */
export const DECLARED_PATCH_IDS: ReadonlySet<string> = new Set([...FOLDED_PATCH_IDS, LOCAL_ROUTING_PATCH]);

/**
 * The handoff's timeline entries (the offer, a missed claim, the unclaimed pool) are written by a
 * local activity, inside the workflow task that routed or escalated: their alert e-mail is
 * queued with the entry and sent by the worker's outbox after it (activities/alert-mail.outbox.ts),
 * so no SMTP relay holds the task. A handed-off lead's first message costs one more task-queue
 * round trip and workflow task fewer (#13). Runs declared with fold 2 have it; every other run
 * asks for it where it writes one.
 */
export const LOCAL_HANDOFF_EVENTS_PATCH = 'lead-local-handoff-events-v1';

/** What a run declared with fold 2 has without asking. Never add to it: a later patch is a fold 3. */
export const DECLARED_PATCH_IDS_2: ReadonlySet<string> = new Set([...DECLARED_PATCH_IDS, LOCAL_HANDOFF_EVENTS_PATCH]);

/** Whether this run has a patch: asked through the run (`run.has`), never with `patched()` in a step. */
export type PatchGate = (patchId: string) => boolean;

/** A gate that has `had` without asking and asks `patched()` for any other patch. */
const having = (had: ReadonlySet<string>): PatchGate => (patchId) => had.has(patchId) || patched(patchId);
const folded = having(FOLDED_PATCH_IDS);
const declared = having(DECLARED_PATCH_IDS);
const declared2 = having(DECLARED_PATCH_IDS_2);

/**
 * The fold a starter declares in the run's input (`patchFold`). A run whose input says 1 has
 * DECLARED_PATCH_IDS without asking, one that says 2 has DECLARED_PATCH_IDS_2: no marker and no
 * TemporalChangeVersion upsert at all (#13). The input is the run's first history event, so
 * replay decides the same way. The intake and the workflow's own continue-as-new set the newest.
 * It trusts the starter, so workers deploy before the API (ADR 004, ADR 013): a worker from
 * before a fold would not know it, ask for each patch, and leave markers that newer code,
 * trusting the input, would not ask for.
 */
export const PATCH_FOLD = 2;

/** The folds a run's input may declare: the newest, and those runs still open were started with. */
export type DeclaredFold = 1 | typeof PATCH_FOLD;

/** The run's gate, asked first thing in the run, where older runs carry the lifecycle marker. */
export function patchGate(declaredFold?: number): PatchGate {
  if (declaredFold === PATCH_FOLD) return declared2;
  if (declaredFold === 1) return declared;
  if (patched(PATCHES_FOLDED)) return folded;
  deprecatePatch(LIFECYCLE_PATCH);
  return patched;
}
