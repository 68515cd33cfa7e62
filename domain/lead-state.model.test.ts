import { describe, expect, it } from 'vitest';
import { T0, iso } from './lead-state.fixtures';
import { STATE_VERSION, migrateState } from './lead-state.model';
import { emptyProfile } from './profile.defaults';

describe('state versions', () => {
  const v1 = {
    version: 1,
    leadId: 'l1',
    market: 'AE',
    channel: 'whatsapp',
    stage: 'engaged',
    profile: emptyProfile(),
    qualification: null,
    matches: [],
    transcript: [{ id: 'm1', from: 'lead', text: 'hi', at: iso(T0) }],
    seenProviderIds: ['m1'],
    turns: 1,
    lastIntents: [],
    askedFor: null,
    ownerId: null,
    optedOut: false,
    lastInboundAt: iso(T0),
    createdAt: iso(T0),
  };

  it('migrates a version 1 state (before the lifecycle) to the current shape', () => {
    const s = migrateState(v1);
    expect(s.version).toBe(STATE_VERSION);
    expect(s).toMatchObject({ stage: 'engaged', turns: 1, seenProviderIds: ['m1'], settingsLoaded: false, tasks: [], handoff: { status: 'none' }, commands: [], commandSeq: 0 });
    expect(migrateState(s)).toBe(s);
    expect(() => migrateState({ ...v1, version: 99 })).toThrow(/newer/);
  });

  it('migrates a version 2 state (no command log) and keeps everything else', () => {
    const v2 = { ...migrateState(v1), version: 2, commands: undefined, commandSeq: undefined, settingsLoaded: true, alerts: 2 };
    const s = migrateState(v2);
    expect(s).toMatchObject({ version: STATE_VERSION, commands: [], commandSeq: 0, settingsLoaded: true, alerts: 2, turns: 1 });
  });
});
