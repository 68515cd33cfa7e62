import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, eventually, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';
import { startLead, stateOf, waitForState, leadRow, type TestLead } from './lead-support';

// Issue 15, point 4: viewing, negotiation and won need an owner. A broker moving an unowned
// lead there claims it first; anyone without a broker is refused with owner_required; a move
// the workflow would refuse anyway claims nothing.

describe('late stages need an owner', () => {
  let h: Harness;
  let james: Record<string, string>;
  let manager: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    james = await apiSession(h.baseUrl, 'james@example.com');
    manager = await apiSession(h.baseUrl, 'manager@example.com');
  });
  afterAll(async () => h?.close());

  const move = async (auth: Record<string, string>, leadId: string, stage: string) => {
    const res = await fetch(`${h.baseUrl}/leads/${leadId}/stage`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ stage, reason: 'on the board' }) });
    return { status: res.status, json: (await res.json()) as { lead?: { stage: string; ownerId: string | null }; claimedBy?: string; error?: { code: string; message: string } } };
  };

  async function qualifiedLead(): Promise<TestLead> {
    const lead = await startLead(h, { first: 'Hi, I want a 2 bedroom apartment in Dubai Marina, up to 2.5M, cash, moving next month' });
    // Settled: the handoff is offered (or pooled), so the stage no longer moves on its own.
    await waitForState(lead, (s) => s.stage === 'handoff' && (s.handoff.status === 'offered' || s.handoff.status === 'pool'), 'the handoff of a qualified lead');
    return lead;
  }

  it('refuses someone who is not a broker with owner_required, and changes nothing', async () => {
    const lead = await qualifiedLead();
    const before = await stateOf(lead);
    const res = await move(manager, lead.leadId, 'viewing');
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'owner_required', message: 'Assign the lead to a broker before moving it to viewing' });
    const after = await stateOf(lead);
    expect(after.ownerId).toBeNull();
    expect(after.stage).toBe(before.stage);
    expect(after.stage).toBe('handoff');
  });

  it('a broker moving an unowned lead to viewing claims it first, then moves it', async () => {
    const lead = await qualifiedLead();
    const res = await move(james, lead.leadId, 'viewing');
    expect(res.status).toBe(200);
    expect(res.json.claimedBy).toBe('broker-james');
    expect(res.json.lead).toMatchObject({ stage: 'viewing', ownerId: 'broker-james' });
    await eventually(async () => {
      const row = await leadRow(h, lead.leadId);
      return row.status === 'viewing' && row.owner_id === 'broker-james' ? true : undefined;
    }, 'the claim and move in the projection');
  });

  it('claims nothing when the move itself would be refused', async () => {
    const lead = await startLead(h, { first: 'Hello' });
    await waitForState(lead, (s) => s.turns === 1, 'the first turn');
    expect((await move(manager, lead.leadId, 'lost')).status).toBe(200);
    await waitForState(lead, (x) => x.stage === 'lost', 'lost');
    // A claim leaves a lost lead lost, and lost → viewing is no manual move: refused before any claim.
    const res = await move(james, lead.leadId, 'viewing');
    expect(res.status).toBe(409);
    expect(res.json.error?.code).toBe('invalid_transition');
    expect((await stateOf(lead)).ownerId).toBeNull();
  });
});
