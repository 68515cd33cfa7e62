import { deprecatePatch, patched } from '@temporalio/workflow';

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
 * What PATCHES_FOLDED stands for. Never add to it: a patch made later is asked with `patched()`
 * by every run, folded or not, since a folded run started before that patch lacks it.
 */
export const FOLDED_PATCH_IDS: ReadonlySet<string> = new Set([
  LIFECYCLE_PATCH,
  'lead-fast-reply-v1',
  'lead-reply-in-turn-v1',
  'search-attributes-on-change-v1',
  'lead-activity-alerts-v1',
  'lead-inbound-actions-v1',
  'lead-delivery-failed-v1',
  'lead-opt-in-v1',
]);

/** Whether this run has a patch: asked through the run (`run.has`), never with `patched()` in a step. */
export type PatchGate = (patchId: string) => boolean;

const foldedOr: PatchGate = (patchId) => FOLDED_PATCH_IDS.has(patchId) || patched(patchId);

/** The run's gate, asked first thing in the run, where older runs carry the lifecycle marker. */
export function patchGate(): PatchGate {
  if (patched(PATCHES_FOLDED)) return foldedOr;
  deprecatePatch(LIFECYCLE_PATCH);
  return patched;
}
