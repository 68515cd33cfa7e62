import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../lib/paths';

// A lead run started under PATCHES_FOLDED asks for none of the patches made before it (#13);
// every other patch is still asked of every run. Each step asks the run's gate (`run.has`),
// so only workflows/lead.patches.ts may call `patched` for a lead.
// test/integration/lead-replay.test.ts replays recorded runs from both sides of it.

const calls = vi.hoisted(() => ({ patched: [] as string[], deprecated: [] as string[], present: new Set<string>() }));
vi.mock('@temporalio/workflow', () => ({
  patched: (id: string) => {
    calls.patched.push(id);
    return calls.present.has(id);
  },
  deprecatePatch: (id: string) => {
    calls.deprecated.push(id);
  },
}));
const { DECLARED_PATCH_IDS, DECLARED_PATCH_IDS_2, FOLDED_PATCH_IDS, LIFECYCLE_PATCH, LOCAL_HANDOFF_EVENTS_PATCH, LOCAL_ROUTING_PATCH, PATCH_FOLD, PATCHES_FOLDED, patchGate } = await import(
  '../../workflows/lead.patches'
);

describe('the lead run patch gate', () => {
  beforeEach(() => {
    calls.patched.length = 0;
    calls.deprecated.length = 0;
    calls.present = new Set();
  });

  it('a folded run has the folded patches without asking, and asks for any later one', () => {
    calls.present = new Set([PATCHES_FOLDED]);
    const has = patchGate();
    expect([...FOLDED_PATCH_IDS].every((id) => has(id))).toBe(true);
    expect(calls.patched).toEqual([PATCHES_FOLDED]);
    expect(calls.deprecated).toEqual([]);
    // a patch made after the fold: recorded runs without it must replay its old branch
    expect(has('lead-something-later-v1')).toBe(false);
    expect(calls.patched).toEqual([PATCHES_FOLDED, 'lead-something-later-v1']);
    // local routing came after the marker fold: such a run asks for it where it routes
    calls.present.add(LOCAL_ROUTING_PATCH);
    expect(has(LOCAL_ROUTING_PATCH)).toBe(true);
    expect(calls.patched).toEqual([PATCHES_FOLDED, 'lead-something-later-v1', LOCAL_ROUTING_PATCH]);
  });

  it('a run whose input declares the newest fold asks for no patch at all, and still asks for any later one', () => {
    // (no marker present: a declared run never recorded one, and must not ask for one)
    const has = patchGate(PATCH_FOLD);
    expect(PATCH_FOLD).toBe(2);
    expect([...FOLDED_PATCH_IDS].every((id) => has(id))).toBe(true);
    // and the patches made with each declaration
    expect(has(LOCAL_ROUTING_PATCH)).toBe(true);
    expect(DECLARED_PATCH_IDS_2.has(LOCAL_HANDOFF_EVENTS_PATCH)).toBe(true);
    expect(has(LOCAL_HANDOFF_EVENTS_PATCH)).toBe(true);
    expect(calls.patched).toEqual([]);
    expect(calls.deprecated).toEqual([]);
    expect(has('lead-something-later-v1')).toBe(false);
    expect(calls.patched).toEqual(['lead-something-later-v1']);
  });

  it('a run declared with fold 1 has what fold 1 stood for, and asks for the local handoff events where it writes one', () => {
    const has = patchGate(1);
    expect([...DECLARED_PATCH_IDS].every((id) => has(id))).toBe(true);
    expect(DECLARED_PATCH_IDS.has(LOCAL_HANDOFF_EVENTS_PATCH)).toBe(false);
    expect(calls.patched).toEqual([]);
    // recorded before the patch: no marker, so replay keeps the normal activity
    expect(has(LOCAL_HANDOFF_EVENTS_PATCH)).toBe(false);
    calls.present.add(LOCAL_HANDOFF_EVENTS_PATCH);
    expect(patchGate(1)(LOCAL_HANDOFF_EVENTS_PATCH)).toBe(true);
    expect(calls.patched).toEqual([LOCAL_HANDOFF_EVENTS_PATCH, LOCAL_HANDOFF_EVENTS_PATCH]);
  });

  it('an input with another fold number is not trusted: the run asks for the fold as before', () => {
    calls.present = new Set([PATCHES_FOLDED]);
    const has = patchGate(3);
    expect(has('lead-fast-reply-v1')).toBe(true);
    expect(calls.patched).toEqual([PATCHES_FOLDED]);
  });

  it('a run from before the fold accepts its lifecycle marker and asks for every patch', () => {
    calls.present = new Set(['lead-fast-reply-v1']);
    const has = patchGate();
    expect(calls.deprecated).toEqual([LIFECYCLE_PATCH]);
    expect(has('lead-fast-reply-v1')).toBe(true);
    expect(has('lead-reply-in-turn-v1')).toBe(false);
    expect(calls.patched).toEqual([PATCHES_FOLDED, 'lead-fast-reply-v1', 'lead-reply-in-turn-v1']);
  });

  it('is the only place a lead step gets patched() from', () => {
    const dir = path.join(repoRoot, 'workflows');
    const importsPatching = (f: string) => /import \{[^}]*\b(patched|deprecatePatch)\b[^}]*\} from '@temporalio\/workflow'/.test(readFileSync(path.join(dir, f), 'utf8'));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    // the two other workflows keep their own patch each
    expect(files.filter(importsPatching).sort()).toEqual(['contact-erasure.workflow.ts', 'lead.patches.ts', 'leadgen-intake.workflow.ts']);
  });
});
