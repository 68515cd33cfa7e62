import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadPage, type LeadListItem } from '../../domain/lead-summary.schema';
import { startHarness, machineAuth, type Harness } from '../support/harness';
import { apiSession } from '../support/sign-in';
import { seedInboxLead, type InboxLeadSpec } from '../support/inbox-leads';

// GET /leads as the inbox uses it: filters, search, sorts, cursor paging with true totals and
// a 400 that names the bad parameter, on real Postgres. Every lead here carries this run's
// campaign id, and every query filters by it, so leads other tests create never count.

type Json = Record<string, unknown> & { error?: { code: string; message: string; details: Record<string, string> } };

describe('GET /leads: the inbox query', () => {
  let h: Harness;
  let james: Record<string, string>;
  const tag = `inbox${randomBytes(4).toString('hex')}`;
  const ids: Record<string, string> = {};

  const get = async (query: string, headers: Record<string, string> = machineAuth) => {
    const res = await fetch(`${h.baseUrl}/leads?${query}`, { headers });
    return { status: res.status, json: (await res.json()) as Json };
  };
  /** A page of this run's leads, checked against the shared schema. */
  const page = async (query: string, headers: Record<string, string> = machineAuth) => {
    const res = await get(`campaign=${tag}&${query}`, headers);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return LeadPage.parse(res.json);
  };
  const names = (items: LeadListItem[]) => items.map((i) => i.contact.name?.replace(` ${tag}`, ''));

  const seedLead = async (key: string, spec: InboxLeadSpec) => {
    ids[key] = await seedInboxLead(h.orm, tag, key, spec);
  };

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    james = await apiSession(h.baseUrl, 'james@example.com');
    // Seven leads: hot and cold, owned and not, one overdue for a claim, one opted out, one answered.
    await seedLead('Amal', { score: 92, owner: null, stage: 'handoff', createdMin: 50, lastMin: 40, slaMin: -3, inbound: 'Looking for a villa in Jumeirah with a private pool', phone: '+971501112233' });
    await seedLead('Bilal', { score: 45, owner: 'broker-james', stage: 'claimed', createdMin: 40, lastMin: 5, inbound: 'Can we see the penthouse tomorrow?', repliedAfter: true });
    await seedLead('Chen', { score: 81, owner: 'broker-james', stage: 'claimed', createdMin: 30, lastMin: 2, inbound: 'Is the price negotiable?', email: 'chen.w@example.org' });
    await seedLead('Dana', { score: null, owner: null, stage: 'new', channel: 'web', createdMin: 20, lastMin: null, source: 'ad' });
    await seedLead('Eitan', { score: 100, owner: 'broker-priya', stage: 'viewing', createdMin: 10, lastMin: 8, inbound: 'See you at the viewing', repliedAfter: true });
    await seedLead('Farah', { score: 70, owner: null, stage: 'handoff', createdMin: 5, lastMin: 4, slaMin: 10, optedOut: true, inbound: 'STOP', channel: 'sms' });
    await seedLead('Gita', { score: 20, owner: null, stage: 'engaged', channel: 'leadads', createdMin: 1, lastMin: 1, inbound: 'budget 50% off? under_2m', source: 'leadads' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sorts by score, SLA due, last message and creation, with true totals', async () => {
    const byScore = await page('sort=score');
    expect(byScore.total).toBe(7);
    expect(names(byScore.items)).toEqual(['Eitan', 'Amal', 'Chen', 'Farah', 'Bilal', 'Gita', 'Dana']);
    expect(names((await page('sort=sla')).items).slice(0, 2)).toEqual(['Amal', 'Farah']);
    expect(names((await page('sort=last_message')).items)).toEqual(['Gita', 'Chen', 'Farah', 'Bilal', 'Eitan', 'Dana', 'Amal']);
    expect(names((await page('')).items)).toEqual(['Gita', 'Farah', 'Eitan', 'Dana', 'Chen', 'Bilal', 'Amal']);
  });

  it('filters by stage, owner, channel, qualification, opt-out, needs reply, SLA breached and source', async () => {
    expect(names((await page('stage=handoff&sort=score')).items)).toEqual(['Amal', 'Farah']);
    expect(names((await page('owner=unclaimed&sort=score')).items)).toEqual(['Amal', 'Farah', 'Gita', 'Dana']);
    expect(names((await page('owner=broker-james&sort=score')).items)).toEqual(['Chen', 'Bilal']);
    expect(names((await page('channel=sms')).items)).toEqual(['Farah']);
    expect(names((await page('qualified=true&sort=score')).items)).toEqual(['Eitan', 'Amal', 'Chen', 'Farah']);
    expect(names((await page('optedOut=true')).items)).toEqual(['Farah']);
    const needsReply = await page('needsReply=true&sort=score');
    expect(names(needsReply.items)).toEqual(['Amal', 'Chen', 'Farah', 'Gita']);
    expect(needsReply.items.every((i) => i.needsReply)).toBe(true);
    const breached = await page('slaBreached=true');
    expect(names(breached.items)).toEqual(['Amal']);
    expect(breached.items[0]!.slaBreached).toBe(true);
    expect(names((await page('source=leadads')).items)).toEqual(['Gita']);
    expect(names((await page('source=ad')).items)).toEqual(['Dana']);
    expect(names((await page('minScore=80&sort=score')).items)).toEqual(['Eitan', 'Amal', 'Chen']);
    // Flags ride on every row, not only in their own filter.
    const all = await page('sort=score&limit=200');
    const farah = all.items.find((i) => i.id === ids.Farah)!;
    expect({ optedOut: farah.optedOut, needsReply: farah.needsReply, slaBreached: farah.slaBreached }).toEqual({ optedOut: true, needsReply: true, slaBreached: false });
  });

  it('"mine" is the signed-in broker, who sees only the pool and their own leads', async () => {
    expect(names((await page('owner=mine&sort=score', james)).items)).toEqual(['Chen', 'Bilal']);
    const all = await page('sort=score', james);
    expect(all.total).toBe(6);
    expect(names(all.items)).not.toContain('Eitan');
    // A machine client is nobody's broker: "mine" is empty, not everything.
    expect((await page('owner=mine')).total).toBe(0);
  });

  it('searches name, phone, email and message text', async () => {
    expect(names((await page('q=amal')).items)).toEqual(['Amal']);
    expect(names((await page(`q=${encodeURIComponent('050 111 2233')}`)).items)).toEqual(['Amal']);
    expect(names((await page('q=1112233')).items)).toEqual(['Amal']);
    expect(names((await page('q=chen.w%40example')).items)).toEqual(['Chen']);
    expect(names((await page('q=penthouse')).items)).toEqual(['Bilal']);
    expect(names((await page(`q=${encodeURIComponent('private pool')}`)).items)).toEqual(['Amal']);
    // Wildcards typed by a person are literal characters.
    expect((await page('q=%25')).total).toBe(0);
    expect((await page('q=_')).total).toBe(0);
    expect((await page('q=nobody-here')).total).toBe(0);
  });

  it('pages with a cursor through every lead once, keeping the total', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: LeadPage = await page(`sort=score&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.total).toBe(7);
      seen.push(...names(p.items).map(String));
      cursor = p.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Eitan', 'Amal', 'Chen', 'Farah', 'Bilal', 'Gita', 'Dana']);
    // Through the SLA sort too, where most leads have no SLA (they sort last, by id).
    const sla: string[] = [];
    cursor = null;
    do {
      const p: LeadPage = await page(`sort=sla&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      sla.push(...p.items.map((i) => i.id));
      cursor = p.nextCursor;
    } while (cursor && sla.length < 20);
    expect(new Set(sla).size).toBe(7);
  });

  it('answers a bad parameter with a 400 envelope that names it', async () => {
    const unknownStage = await get('status=bogus');
    expect(unknownStage.status).toBe(400);
    expect(unknownStage.json.error?.code).toBe('bad_request');
    expect(unknownStage.json.error?.message).toMatch(/^Invalid query: status/);
    expect(Object.keys(unknownStage.json.error?.details ?? {})).toEqual(['status']);
    const typo = await get('stauts=new');
    expect(typo.status).toBe(400);
    expect(typo.json.error?.details).toEqual({ stauts: 'unknown parameter' });
    for (const q of ['sort=price', 'limit=0', 'channel=fax', 'needsReply=maybe', 'minScore=101', 'cursor=%3Cscript%3E', 'q=a%00b', `q=${'x'.repeat(201)}`]) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(Object.keys(res.json.error?.details ?? {}), q).toEqual([q.split('=')[0]]);
    }
    // A cursor from another sort is refused, not reinterpreted.
    const first = await page('sort=score&limit=2');
    const wrong = await get(`campaign=${tag}&sort=created&cursor=${first.nextCursor}`);
    expect(wrong.status).toBe(400);
    expect(wrong.json.error?.details).toHaveProperty('cursor');
  });
});
