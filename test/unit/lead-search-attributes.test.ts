import { describe, expect, it } from 'vitest';
import { initialLeadState } from '../../domain/lead-state.model';
import { leadSearchAttributes, newLeadSearchAttributes, OwnerIdKey } from '../../temporal/search-attributes';

// A new lead's workflow starts with the attributes its first publishState would write, so that
// run upserts nothing until a value changes (#13). If the initial state changes, these drift
// apart and every new lead pays an upsert again.

describe('a new lead’s search attributes', () => {
  it.each(['whatsapp', 'sms', 'web', 'leadads'] as const)('are what its initial state publishes (%s), the owner left out as none', (channel) => {
    const state = initialLeadState({ leadId: 'lead-1', market: 'AE', channel, createdAt: '2026-12-03T10:00:00.000Z' });
    const published = leadSearchAttributes(state);
    expect(published.find((p) => p.key.name === OwnerIdKey.name)?.value).toBeNull();
    expect(newLeadSearchAttributes(channel)).toEqual(published.filter((p) => p.value !== null));
    expect(newLeadSearchAttributes(channel).map((p) => p.key.name).sort()).toEqual(['Channel', 'LeadScore', 'LeadStage', 'Qualified']);
  });
});
