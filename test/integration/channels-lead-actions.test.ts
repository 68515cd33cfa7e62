import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadState } from '../../domain/lead-state.model';
import { eventually, machineAuth, startHarness, type Harness } from '../support/harness';
import { postWebhook, testWaId, testWamid, waChange, waEnvelope } from '../support/whatsapp.payloads';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/meta.server';

// Issue 14, points 4-8, on the real servers with Meta's documented payload shapes (signed
// webhooks → the lead workflow → the fake Graph API): intents that act, every inbound kind
// keeps the person, media kept, failures someone sees, identity kept.

const SECRET = 'actions-app-secret';
const TOKEN = 'actions-token';
const now = () => String(Math.floor(Date.now() / 1000));

function message(waId: string, body: Record<string, unknown>, name = 'Action Lead', at = now()) {
  return waEnvelope([waChange({ contacts: [{ profile: { name }, wa_id: waId }], messages: [{ from: waId, id: testWamid(), timestamp: at, ...body }] })]);
}
const text = (waId: string, t: string, at?: string) => message(waId, { type: 'text', text: { body: t } }, 'Action Lead', at);

describe('WhatsApp leads: intents act, nothing is lost, failures are seen', () => {
  let h: Harness;
  let meta: FakeMetaServer;
  const mediaDir = path.join(tmpdir(), `leadline-media-${randomUUID()}`);
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.fork().getConnection().execute<T[]>(query, params);
  const post = (body: object) => postWebhook(h.baseUrl, body, { secret: SECRET });

  beforeAll(async () => {
    meta = await startFakeMetaServer({ token: TOKEN });
    h = await startHarness({
      env: {
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_TOKEN: TOKEN,
        META_GRAPH_URL: meta.baseUrl,
        MEDIA_DIR: mediaDir,
        DEFAULT_TIME_ZONE: 'Asia/Dubai',
        // A text and a shared card in one webhook are one burst only through the coalesce window
        // (production: 1.5 s); at 0 they were one only while a slow first step let both in.
        COALESCE_WINDOW_MS: '300',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await meta?.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  const leadOf = (waId: string) =>
    eventually(async () => (await sql<{ id: string; workflow_id: string; contact_id: string }>('select l.id, l.workflow_id, l.contact_id from leads l join contacts c on c.id = l.contact_id where c.wa_id = ?', [waId]))[0], `the lead of ${waId}`);
  const stateOf = (workflowId: string) => h.temporal.workflow.getHandle(workflowId).query<LeadState>('state');
  const waitState = (workflowId: string, ok: (s: LeadState) => boolean, what: string) =>
    eventually(async () => {
      const s = await stateOf(workflowId);
      return ok(s) ? s : undefined;
    }, what);
  const sendsTo = (waId: string) => meta.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages') && (r.body as { to?: string }).to === waId);
  const tasksOf = (leadId: string) => sql<{ title: string; due_at: Date }>('select title, due_at from tasks where lead_id = ? order by created_at', [leadId]);

  it('a tapped "Book a viewing" button hands the lead to a broker with a viewing task', async () => {
    const waId = testWaId();
    // A template quick-reply button, as Meta documents it (type "button": payload and text).
    expect((await post(message(waId, { type: 'button', button: { payload: 'BOOK_VIEWING', text: 'Book a viewing' } }))).status).toBe(200);
    const lead = await leadOf(waId);
    const s = await waitState(lead.workflow_id, (x) => x.tasks.length > 0 && x.handoff.reason !== null, 'the viewing task and handoff');
    expect(s.handoff.reason).toBe('viewing_request');
    expect(s.tasks[0]!.title).toBe('Viewing requested: agree a time with the lead');
    await eventually(async () => ((await tasksOf(lead.id)).length > 0 ? true : undefined), 'the task row');
  });

  it('"Saturday 11am works for the viewing" makes a task at that time in the lead’s zone; "please call after 6pm" a call task at 18:00', async () => {
    const waId = testWaId();
    expect((await post(text(waId, 'Saturday 11am works for the viewing'))).status).toBe(200);
    const lead = await leadOf(waId);
    // The task and the handoff are applied one after the other: wait for both before reading them.
      const s = await waitState(lead.workflow_id, (x) => x.tasks.length > 0 && x.handoff.reason !== null, 'the viewing task and handoff');
    expect(s.handoff.reason).toBe('viewing_request');
    const due = new Date(s.tasks[0]!.dueAt);
    // 11:00 in Dubai (UTC+4) on a Saturday.
    expect(due.getUTCDay()).toBe(6);
    expect(due.getUTCHours()).toBe(7);
    expect(s.tasks[0]!.title).toMatch(/^Viewing requested for Sat \d+ \w+ 11:00 \(Asia\/Dubai\)/);
    const reply = await eventually(async () => sendsTo(waId)[0], 'the reply');
    expect((reply.body as { text: { body: string } }).text.body).toMatch(/arrange the viewing for Sat \d+ \w+ 11:00/);

    const caller = testWaId();
    expect((await post(text(caller, 'please call after 6pm'))).status).toBe(200);
    const callLead = await leadOf(caller);
    const c = await waitState(callLead.workflow_id, (x) => x.tasks.length > 0 && x.handoff.reason !== null, 'the call task and handoff');
    expect(c.tasks[0]!.title).toMatch(/^Call the lead after \w+ \d+ \w+ 18:00 \(Asia\/Dubai\)$/);
    expect(new Date(c.tasks[0]!.dueAt).getUTCHours()).toBe(14);
    expect(c.handoff.reason).toBe('callback_request');
  });

  it('reads a proposed viewing time in Arabic and in Hindi', async () => {
    for (const words of ['ممكن معاينة الشقة السبت الساعة ١١ صباحا؟', 'क्या मैं शनिवार सुबह 11 बजे फ्लैट देखने आ सकता हूँ?']) {
      const waId = testWaId();
      expect((await post(text(waId, words))).status).toBe(200);
      const lead = await leadOf(waId);
      // The task and the handoff are applied one after the other: wait for both before reading them.
      const s = await waitState(lead.workflow_id, (x) => x.tasks.length > 0 && x.handoff.reason !== null, 'the viewing task and handoff');
      expect(s.handoff.reason).toBe('viewing_request');
      expect(new Date(s.tasks[0]!.dueAt).getUTCDay()).toBe(6);
      expect(new Date(s.tasks[0]!.dueAt).getUTCHours()).toBe(7);
    }
  });

  it('a shared contact card of someone looking for property opens their own lead, handed to a broker', async () => {
    const waId = testWaId();
    const friend = testWaId();
    const body = waEnvelope([
      waChange({
        contacts: [{ profile: { name: 'Referrer' }, wa_id: waId }],
        messages: [
          { from: waId, id: testWamid(), timestamp: now(), type: 'text', text: { body: 'My friend is looking for a villa in Dubai Hills' } },
          {
            from: waId,
            id: testWamid(),
            timestamp: now(),
            type: 'contacts',
            contacts: [{ name: { formatted_name: 'Barbara Johnson', first_name: 'Barbara' }, phones: [{ phone: `+${friend}`, wa_id: friend, type: 'MOBILE' }] }],
          },
        ],
      }),
    ]);
    expect((await post(body)).status).toBe(200);
    const referrer = await leadOf(waId);
    await waitState(referrer.workflow_id, (x) => x.tasks.some((t) => t.title.startsWith('Referred lead opened: Barbara Johnson')), 'the referral task');
    const referred = await leadOf(friend);
    expect(referred.id).not.toBe(referrer.id);
    const s = await waitState(referred.workflow_id, (x) => x.handoff.reason === 'referral', 'the referred lead handed off');
    expect(s.tasks[0]!.title).toMatch(/^Call this referred lead/);
    // Nobody messages a person who never wrote to us: the AI stays quiet on the referred lead.
    expect(sendsTo(friend)).toHaveLength(0);
    const source = await sql<{ source: Record<string, unknown> }>('select source from leads where id = ?', [referred.id]);
    expect(source[0]!.source).toMatchObject({ referral: true, referred_by_lead_id: referrer.id });
  });

  it('a removed reaction sends nothing', async () => {
    const waId = testWaId();
    expect((await post(text(waId, 'Hi, looking for a 2 bed in Dubai Marina'))).status).toBe(200);
    const lead = await leadOf(waId);
    await eventually(async () => (sendsTo(waId).length === 1 ? true : undefined), 'the first reply');
    // Meta omits `emoji` when the lead removes a reaction.
    const removed = message(waId, { type: 'reaction', reaction: { message_id: testWamid() } });
    expect((await post(removed)).status).toBe(200);
    await waitState(lead.workflow_id, (x) => x.transcript.some((t) => t.kind === 'reaction'), 'the reaction taken in');
    // A marker that proves the loop moved on after the reaction: a later text is answered.
    expect((await post(text(waId, 'budget 2M'))).status).toBe(200);
    await eventually(async () => (sendsTo(waId).length === 2 ? true : undefined), 'the reply to the later text');
    // the reply leaves inside the turn's activity, before the workflow records it in the transcript
    const s = await waitState(lead.workflow_id, (x) => x.transcript.filter((t) => t.from === 'agent').length >= 2, 'the later reply recorded');
    expect(s.transcript.filter((t) => t.from === 'agent')).toHaveLength(2);
  });

  it('an unsupported first message creates the contact and the lead and asks for text; in Arabic when the lead wrote Arabic', async () => {
    const waId = testWaId();
    const unsupported = (id: string) => message(id, { type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }], unsupported: { type: 'poll' } });
    const res = await post(unsupported(waId));
    expect(res.json).toMatchObject({ messages: 1 });
    const lead = await leadOf(waId);
    const reply = await eventually(async () => sendsTo(waId)[0], 'the ask for text');
    expect((reply.body as { text: { body: string } }).text.body).toBe("Sorry, I can't open that kind of message here. Could you send it as text, please?");
    const timeline = await sql<{ body: string }>(`select body from timeline_entries where lead_id = ? and direction = 'in'`, [lead.id]);
    expect(timeline.map((t) => t.body)).toEqual(['[unsupported message: poll]']);

    const arabic = testWaId();
    expect((await post(text(arabic, 'مرحبا، أبحث عن شقة'))).status).toBe(200);
    await eventually(async () => (sendsTo(arabic).length === 1 ? true : undefined), 'the first reply');
    expect((await post(unsupported(arabic))).status).toBe(200);
    const second = await eventually(async () => sendsTo(arabic)[1], 'the Arabic ask for text');
    expect((second.body as { text: { body: string } }).text.body).toMatch(/^عذراً، لا أستطيع فتح هذا النوع من الرسائل/);
  });

  it('keeps a document: id, type, hash, caption, file name; the file in storage; opened from the lead page', async () => {
    const waId = testWaId();
    const bytes = Buffer.from(`%PDF-1.4 pre-approval ${randomUUID()}`);
    const mediaId = String(Date.now());
    const sha256 = meta.setMedia(mediaId, { body: bytes, mimeType: 'application/pdf' });
    const doc = message(waId, { type: 'document', document: { caption: 'my pre-approval letter', filename: 'pre-approval.pdf', mime_type: 'application/pdf', sha256, id: mediaId } });
    expect((await post(doc)).status).toBe(200);
    const lead = await leadOf(waId);
    const row = await eventually(async () => {
      const r = await sql<{ status: string; mime_type: string; sha256: string; caption: string; filename: string; size_bytes: number; storage_key: string }>(
        'select status, mime_type, sha256, caption, filename, size_bytes, storage_key from media_files where lead_id = ? and media_id = ?',
        [lead.id, mediaId],
      );
      return r[0]?.status === 'stored' ? r[0] : undefined;
    }, 'the stored document');
    expect(row).toMatchObject({ mime_type: 'application/pdf', sha256, caption: 'my pre-approval letter', filename: 'pre-approval.pdf', size_bytes: bytes.byteLength });
    expect(await readFile(path.join(mediaDir, row.storage_key))).toEqual(bytes);
    // Meta's two calls, both with the token: the media URL, then the bytes.
    expect(meta.requests.filter((r) => r.path === `/v23.0/${mediaId}` || r.query.mid === mediaId).map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);

    const file = await fetch(`${h.baseUrl}/leads/${lead.id}/media/${mediaId}`, { headers: machineAuth });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="pre-approval.pdf"');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
    expect((await fetch(`${h.baseUrl}/leads/${lead.id}/media/${mediaId}`)).status).toBe(401);
    const detail = (await (await fetch(`${h.baseUrl}/leads/${lead.id}`, { headers: machineAuth })).json()) as { timeline: Array<{ meta: { media?: { id: string } } | null }> };
    expect(detail.timeline.some((t) => t.meta?.media?.id === mediaId)).toBe(true);
  });

  it('a file over the limit or of a kind we do not keep is marked failed with an alert', async () => {
    const waId = testWaId();
    const mediaId = `${Date.now()}1`;
    meta.setMedia(mediaId, { body: Buffer.from('MZ executable'), mimeType: 'application/x-msdownload' });
    expect((await post(message(waId, { type: 'document', document: { filename: 'setup.exe', mime_type: 'application/x-msdownload', id: mediaId } }))).status).toBe(200);
    const lead = await leadOf(waId);
    const alert = await eventually(async () => (await sql<{ body: string; meta: { kind: string } }>(`select body, meta from timeline_entries where lead_id = ? and type = 'alert'`, [lead.id]))[0], 'the media alert');
    expect(alert.meta.kind).toBe('media_failed');
    const row = await sql<{ status: string; error: string }>('select status, error from media_files where lead_id = ?', [lead.id]);
    expect(row[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/not kept/) });
    await eventually(async () => ((await h.temporal.workflow.getHandle(`media-${lead.id}-${mediaId}`).describe()).status.name === 'FAILED' ? true : undefined), 'the media run Failed');
  });

  it('a failed delivery status (131049) raises an alert on the lead: timeline, badge, metric', async () => {
    const waId = testWaId();
    expect((await post(text(waId, 'Hello'))).status).toBe(200);
    const lead = await leadOf(waId);
    const sent = await eventually(async () => {
      const r = await sql<{ provider_id: string | null }>(`select provider_id from timeline_entries where lead_id = ? and direction = 'out' and provider_id is not null`, [lead.id]);
      return r[0]?.provider_id ?? undefined;
    }, 'the sent reply');
    const failed = waEnvelope([
      waChange({
        statuses: [
          {
            id: sent,
            status: 'failed',
            timestamp: now(),
            recipient_id: waId,
            errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', error_data: { details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.' } }],
          },
        ],
      }),
    ]);
    expect((await post(failed)).status).toBe(200);
    const alert = await eventually(async () => (await sql<{ body: string; meta: { kind: string } }>(`select body, meta from timeline_entries where lead_id = ? and type = 'alert'`, [lead.id]))[0], 'the delivery alert');
    expect(alert.meta.kind).toBe('delivery_failed');
    expect(alert.body).toMatch(/131049/);
    const summary = (await (await fetch(`${h.baseUrl}/leads/${lead.id}`, { headers: machineAuth })).json()) as { lead: { alertCount: number; lastAlertAt: string | null } };
    expect(summary.lead.alertCount).toBe(1);
    expect(summary.lead.lastAlertAt).not.toBeNull();
    // A redelivered status is the same alert.
    expect((await post(failed)).status).toBe(200);
    expect((await sql(`select 1 from timeline_entries where lead_id = ? and type = 'alert'`, [lead.id])).length).toBe(1);
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/leadline_lead_alerts_total\{kind="delivery_failed"\} [1-9]/);
  });

  it('a send answered 200 with an unreadable body is stored as sent, not retried, and gets its id from the status webhook', async () => {
    const waId = testWaId();
    meta.answerNextSendWith('<html>ok</html>');
    expect((await post(text(waId, 'Hi there'))).status).toBe(200);
    const lead = await leadOf(waId);
    const row = await eventually(async () => {
      const r = await sql<{ delivery_status: string; provider_id: string | null; idempotency_key: string }>(`select delivery_status, provider_id, idempotency_key from timeline_entries where lead_id = ? and direction = 'out'`, [lead.id]);
      return r[0]?.delivery_status === 'sent' ? r[0] : undefined;
    }, 'the reply stored as sent');
    expect(row.provider_id).toBeNull();
    expect(sendsTo(waId)).toHaveLength(1);
    const wamid = testWamid();
    const delivered = waEnvelope([waChange({ statuses: [{ id: wamid, status: 'delivered', timestamp: now(), recipient_id: waId, biz_opaque_callback_data: row.idempotency_key }] })]);
    expect((await post(delivered)).status).toBe(200);
    const after = await sql<{ delivery_status: string; provider_id: string }>(`select delivery_status, provider_id from timeline_entries where lead_id = ? and direction = 'out'`, [lead.id]);
    expect(after[0]).toEqual({ delivery_status: 'delivered', provider_id: wamid });
  });

  it('a hot lead outside the 24-hour window with no template is alerted as unreachable and handed to a broker to call', async () => {
    const waId = testWaId();
    const yesterday = String(Math.floor(Date.now() / 1000) - 2 * 86_400);
    expect((await post(text(waId, 'Hi, I want to buy a 2 bed apartment in Dubai Marina, budget AED 2.5M, cash buyer, moving next month', yesterday))).status).toBe(200);
    const lead = await leadOf(waId);
    const s = await waitState(lead.workflow_id, (x) => x.handoff.reason !== null, 'the handoff');
    expect(s.qualification?.qualified).toBe(true);
    expect(s.handoff.reason).toBe('unreachable');
    expect(s.tasks.map((t) => t.title)).toContain('Call the lead: no message reaches them on any channel we have');
    const alerts = await sql<{ meta: { kind: string } }>(`select meta from timeline_entries where lead_id = ? and type = 'alert'`, [lead.id]);
    expect(alerts.map((a) => a.meta.kind)).toContain('unreachable');
    expect(sendsTo(waId)).toHaveLength(0);
  });

  it('"last message" is the newest by the provider’s timestamp, whatever order the webhooks came in', async () => {
    const waId = testWaId();
    const t = Math.floor(Date.now() / 1000);
    expect((await post(text(waId, 'the newer message', String(t)))).status).toBe(200);
    const lead = await leadOf(waId);
    await eventually(async () => ((await sql(`select 1 from timeline_entries where lead_id = ? and direction = 'in'`, [lead.id])).length === 1 ? true : undefined), 'the first message');
    expect((await post(text(waId, 'the older message', String(t - 60)))).status).toBe(200);
    await eventually(async () => ((await sql(`select 1 from timeline_entries where lead_id = ? and direction = 'in'`, [lead.id])).length === 2 ? true : undefined), 'the late message');
    const row = await sql<{ last_message_preview: string; last_message_at: Date }>('select last_message_preview, last_message_at from leads where id = ?', [lead.id]);
    expect(row[0]!.last_message_preview).toBe('the newer message');
    expect(new Date(row[0]!.last_message_at).getTime()).toBe(t * 1000);
  });

  it('a number change that arrives after the new number wrote links the two contacts on both leads', async () => {
    const oldWa = testWaId();
    const newWa = testWaId();
    expect((await post(text(oldWa, 'Hi from my old number'))).status).toBe(200);
    const oldLead = await leadOf(oldWa);
    expect((await post(text(newWa, 'Hi again, new number'))).status).toBe(200);
    const newLead = await leadOf(newWa);
    const change = waEnvelope([
      waChange({
        messages: [{ from: oldWa, id: testWamid(), timestamp: now(), type: 'system', system: { body: `User A changed from ${oldWa} to ${newWa}`, wa_id: newWa, type: 'user_changed_number' } }],
      }),
    ]);
    expect((await post(change)).status).toBe(200);
    const link = await eventually(async () => (await sql<{ same_person_as_id: string | null }>('select same_person_as_id from contacts where id = ?', [newLead.contact_id]))[0]?.same_person_as_id ?? undefined, 'the link');
    expect(link).toBe(oldLead.contact_id);
    const notes = await sql<{ lead_id: string; meta: { kind: string; linkedLeadId: string } }>(`select lead_id, meta from timeline_entries where type = 'note' and meta->>'kind' = 'identity_link' and lead_id in (?, ?)`, [oldLead.id, newLead.id]);
    expect(notes.map((n) => [n.lead_id, n.meta.linkedLeadId]).sort()).toEqual([[oldLead.id, newLead.id], [newLead.id, oldLead.id]].sort());
    const detail = (await (await fetch(`${h.baseUrl}/leads/${newLead.id}`, { headers: machineAuth })).json()) as { lead: { contact: { samePersonAsId: string } } };
    expect(detail.lead.contact.samePersonAsId).toBe(oldLead.contact_id);
  });
});
