// The lead page's conversation: the messages and, between them, what happened to the lead
// (handoffs, escalations, alerts, stage moves, reminders, and who did what), in time order.

export interface ConversationMessage {
  kind: 'message';
  id: string;
  from: 'lead' | 'agent' | 'broker' | 'system';
  text: string;
  at: string;
  /** Who wrote a broker message, when known. */
  by: string | null;
  /** The file the lead sent with it, opened through the web app (the API checks access). */
  mediaId: string | null;
  /** Its type when known (an image is shown in the bubble). */
  mediaType: string | null;
}

export interface ConversationEvent {
  kind: 'event';
  id: string;
  /** handoff | escalation | alert | stage | reminder | note | action */
  type: string;
  text: string;
  at: string;
}

export type ConversationItem = ConversationMessage | ConversationEvent;

interface TimelineRow {
  id: string;
  type: string;
  actor: string;
  body: string | null;
  providerId: string | null;
  meta: Record<string, unknown> | null;
  at: string;
}
interface TranscriptRow {
  id: string;
  from: string;
  text: string;
  at: string;
  by?: { name?: string | null; id: string } | null;
}
interface HistoryRow {
  id: string;
  action: string;
  actorName: string;
  details: Record<string, unknown>;
  at: string;
}

const FROM = new Set(['lead', 'agent', 'broker', 'system']);
const asFrom = (v: string): ConversationMessage['from'] => (FROM.has(v) ? (v as ConversationMessage['from']) : 'system');

/** What each audited broker action reads as, for the conversation and the audit card alike. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'lead.claim': 'claimed the lead',
  'lead.release': 'released the lead to the AI',
  'lead.stage': 'moved the stage',
  'lead.qualify': 'overrode the qualification',
  'lead.task_add': 'added a task',
  'lead.task_complete': 'completed a task',
  'lead.message': 'sent a message',
  'lead.unit_sent': 'sent a unit',
  'contact.merge': 'merged the contact with the same person on another channel',
  'contact.export': "exported the contact's data",
  'contact.erase': "erased the contact's personal data",
  'contact.erase_retention': "erased the contact's personal data (retention period over)",
  'user.invite': 'invited a user',
  'user.update': 'changed a user',
  'auth.sign_in': 'signed in',
  'auth.sign_in_failed': 'failed to sign in',
  'auth.sign_out': 'signed out',
  'auth.reset_requested': 'asked for a password reset',
  'auth.invitation_accepted': 'accepted the invitation',
  'auth.password_reset': 'reset the password',
};

/** A line for an audit row: "Amina Haddad moved the stage to viewing". */
function historyLine(h: HistoryRow, brokerName: (id: string) => string): string {
  const d = h.details;
  let what = AUDIT_ACTION_LABELS[h.action] ?? h.action.replace(/^lead\./, '').replaceAll('_', ' ');
  if (h.action === 'lead.claim' && typeof d.brokerId === 'string') what = `assigned the lead to ${brokerName(d.brokerId)}`;
  if (h.action === 'lead.stage' && typeof d.stage === 'string') what = `moved the stage${typeof d.from === 'string' ? ` from ${d.from}` : ''} to ${d.stage}`;
  if (h.action === 'lead.qualify') what = `${d.qualified ? 'qualified' : 'disqualified'} the lead${typeof d.score === 'number' ? ` (score ${d.score})` : ''}`;
  return `${h.actorName} ${what}`;
}

const ISO = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z\b/g;
const BROKER_ID = /\bbroker-[A-Za-z0-9_.-]*[A-Za-z0-9]/g;

/** Event text for people: broker names, not ids; "22:09 UTC", not an ISO timestamp (the same on server and browser). */
function readable(text: string, brokerName: (id: string) => string): string {
  return text.replace(ISO, (_, _day: string, hhmm: string) => `${hhmm} UTC`).replace(BROKER_ID, (id) => brokerName(id));
}

/** The timeline's non-message rows, typed for the page (an escalation is a handoff row that says so). */
function eventOf(row: TimelineRow, brokerName: (id: string) => string): ConversationEvent | null {
  if (row.type === 'message') return null;
  const body = readable(row.body ?? '', brokerName);
  const type = row.type === 'status_change' ? 'stage' : row.type === 'handoff' && (row.meta?.escalation !== undefined || /escalat/i.test(body)) ? 'escalation' : row.type;
  const text = row.type === 'status_change' ? `Stage ${body}` : body || row.type.replaceAll('_', ' ');
  return { kind: 'event', id: row.id, type, text, at: row.at };
}

export function buildConversation(input: {
  transcript: TranscriptRow[] | null;
  timeline: TimelineRow[];
  history: HistoryRow[];
  brokerName: (id: string) => string;
}): ConversationItem[] {
  const { timeline, history, brokerName } = input;
  // Files by the message that carried them (the transcript keys a message by its provider id).
  const media = new Map(
    timeline.flatMap((a) => {
      const m = (a.meta as { media?: { id?: string; mimeType?: string | null } } | null)?.media;
      return m?.id ? [[a.providerId ?? a.id, { id: m.id, type: m.mimeType ?? null }] as const] : [];
    }),
  );
  // The workflow's transcript is the live one; without the workflow, the stored messages.
  const transcript: TranscriptRow[] =
    input.transcript ?? timeline.filter((a) => a.type === 'message').map((a) => ({ id: a.providerId ?? a.id, from: a.actor, text: a.body ?? '', at: a.at }));
  const messages: ConversationMessage[] = transcript.map((m) => ({
    kind: 'message',
    id: m.id,
    from: asFrom(m.from),
    text: m.text,
    at: m.at,
    by: m.by?.name ?? null,
    mediaId: media.get(m.id)?.id ?? null,
    mediaType: media.get(m.id)?.type ?? null,
  }));
  const events: ConversationEvent[] = [
    ...timeline.flatMap((row) => eventOf(row, brokerName) ?? []),
    // A broker's message is already a bubble; its audit row would say it twice.
    ...history.filter((h) => h.action !== 'lead.message').map((h): ConversationEvent => ({ kind: 'event', id: `audit:${h.id}`, type: 'action', text: historyLine(h, brokerName), at: h.at })),
  ];
  // Stable: at equal times a message stays before the events it caused.
  return [...messages, ...events]
    .map((item, i) => ({ item, i, t: Date.parse(item.at) }))
    .sort((a, b) => a.t - b.t || (a.item.kind === b.item.kind ? a.i - b.i : a.item.kind === 'message' ? -1 : 1))
    .map((x) => x.item);
}
