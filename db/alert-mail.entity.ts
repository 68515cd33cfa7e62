import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { LeadEntity } from './entities';

// An alert e-mail waiting to go out (an offer to its broker, a missed claim or the unclaimed
// pool to the managers): written in the same statement as the timeline entry it is about, so
// the entry never exists without its mail, and sent by the worker's outbox
// (activities/alert-mail.outbox.ts) after the workflow has moved on. No address and no text
// here: who gets it and what it says are read when it is sent.
export const AlertMailEntity = defineEntity({
  name: 'AlertMail',
  tableName: 'alert_mails',
  indexes: [
    // The outbox claims what is due, oldest first.
    { name: 'alert_mails_due_idx', expression: `create index "alert_mails_due_idx" on "alert_mails" ("next_attempt_at") where "status" = 'queued'` },
  ],
  properties: {
    id: p.uuid().primary(),
    lead: () => p.manyToOne(LeadEntity),
    /** offer | escalation | pool */
    kind: p.string(),
    /** The broker the event names (the offered one, the one who missed the claim). */
    brokerId: p.string().nullable(),
    /** The event's meta (claim deadline, escalation number): what the mail's text needs. */
    meta: p.json<Record<string, unknown>>(),
    /** queued | sent | skipped (nobody wants it) | failed (gave up, an alert on the lead says so) */
    status: p.string().default('queued'),
    attempts: p.integer().default(0),
    /** When the outbox may take it: now when written, later after a failed attempt or while one runs. */
    nextAttemptAt: p.datetime(),
    /** The last failure's error code, never an address. */
    lastError: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    settledAt: p.datetime().nullable(),
  },
});
export type AlertMailRow = InferEntity<typeof AlertMailEntity>;
