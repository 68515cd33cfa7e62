import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

// Meta Lead Ads bodies for tests: the documented fixtures (test/fixtures/meta) and a leadgen
// webhook for an id of the test's own, so runs never collide.

export const leadadsFixtureText = (name: string) => readFileSync(new URL(`../fixtures/meta/${name}`, import.meta.url), 'utf8');
export const leadadsFixtureJson = (name: string) => JSON.parse(leadadsFixtureText(name)) as Record<string, unknown> & { field_data: Array<{ name: string; values: string[] }> };

/** A documented Graph lead body with our own id and contact answers (so runs never collide). */
export function graphLead(name: string, over: { id: string; phone?: string; email?: string }) {
  const lead = leadadsFixtureJson(name);
  lead.id = over.id;
  // filled in now: the fixture's 2015 date puts the lead past its retention period at once, and
  // its workflow erases it (and a contact it joined) while a test is still reading the rows
  if (lead.created_time) lead.created_time = new Date().toISOString().replace(/\.\d{3}Z$/, '+0000');
  for (const f of lead.field_data) {
    if (f.name === 'phone_number' && over.phone) f.values = [over.phone];
    if (f.name === 'email' && over.email) f.values = [over.email];
  }
  return lead;
}

export const randomLeadgenId = () => `9${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e5)).padStart(5, '0')}`;

/** A page/leadgen webhook referencing one lead, as Meta posts it. */
export function leadgenWebhook(leadgenId: string, extra: Record<string, string> = {}) {
  return JSON.stringify({
    object: 'page',
    entry: [{ id: '153125381133', time: 1750000000, changes: [{ field: 'leadgen', value: { leadgen_id: leadgenId, page_id: '153125381133', form_id: '555555555555', created_time: 1750000000, ...extra } }] }],
  });
}
