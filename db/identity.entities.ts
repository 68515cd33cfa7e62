import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { BrokerEntity } from './entities';

// People who sign in to the web app, their sessions, one-time links (invitations, password
// resets) and the audit log. Kept apart from the lead tables: only the API reads them, except
// the worker's alert e-mail step (db/alert-recipients.repository.ts: addresses and preferences).

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    /** Lower-cased; the sign-in name. */
    email: p.string().unique(),
    name: p.string(),
    role: p.enum(['admin', 'manager', 'broker']).columnType('varchar(255)'),
    /** The broker this user works as (the broker table stays the authority on routing). */
    brokerId: () => p.manyToOne(BrokerEntity).mapToPk().fieldName('broker_id').nullable().unique().updateRule('cascade').deleteRule('set null'),
    /** argon2id PHC string; null until the invitee sets a password. */
    passwordHash: p.text().nullable(),
    active: p.boolean().default(true),
    timeZone: p.string().nullable(),
    /** Local working hours, e.g. `09:00-18:00`. */
    workingHours: p.string().nullable(),
    /** E-mail me when a lead is offered to me (the in-app toast does not depend on it). */
    emailOffers: p.boolean().default(true),
    /** E-mail me about missed claims and leads sent to the unclaimed pool (managers). */
    emailEscalations: p.boolean().default(true),
    /** E-mail me the daily digest of SLA misses (managers and admins; brokers never get it). */
    emailDigest: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type UserRow = InferEntity<typeof UserEntity>;

export const UserSessionEntity = defineEntity({
  name: 'UserSession',
  tableName: 'user_sessions',
  indexes: [{ name: 'user_sessions_user_idx', properties: ['userId'] }],
  properties: {
    id: p.uuid().primary(),
    userId: () => p.manyToOne(UserEntity).mapToPk().fieldName('user_id').updateRule('cascade').deleteRule('cascade'),
    /** SHA-256 of the token the browser's cookie holds; the token itself is never stored. */
    tokenHash: p.string().unique(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type UserSessionRow = InferEntity<typeof UserSessionEntity>;

export const UserTokenEntity = defineEntity({
  name: 'UserToken',
  tableName: 'user_tokens',
  properties: {
    id: p.uuid().primary(),
    userId: () => p.manyToOne(UserEntity).mapToPk().fieldName('user_id').updateRule('cascade').deleteRule('cascade'),
    /** invite | reset */
    purpose: p.string(),
    tokenHash: p.string().unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type UserTokenRow = InferEntity<typeof UserTokenEntity>;

export const AuditLogEntity = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  indexes: [{ name: 'audit_log_lead_at_idx', properties: ['leadId', 'at'] }],
  properties: {
    id: p.uuid().primary(),
    actorId: p.string(),
    actorRole: p.string(),
    /** e.g. lead.claim, lead.stage, user.invite, auth.sign_in */
    action: p.string(),
    leadId: p.uuid().nullable(),
    /** Ids, stages, scores: never message text, names, phone numbers or e-mail addresses. */
    details: p.json<Record<string, unknown>>(),
    at: p.datetime().onCreate(() => new Date()),
  },
});
export type AuditLogRow = InferEntity<typeof AuditLogEntity>;

/**
 * One row per user and digest day, written before the SLA digest mail goes out: a retried
 * activity finds it and does not mail that user again (sentAt stays null if the send died).
 */
export const DigestSendEntity = defineEntity({
  name: 'DigestSend',
  tableName: 'digest_sends',
  uniques: [{ name: 'digest_sends_user_day_unique', properties: ['userId', 'day'] }],
  properties: {
    id: p.uuid().primary(),
    userId: () => p.manyToOne(UserEntity).mapToPk().fieldName('user_id').updateRule('cascade').deleteRule('cascade'),
    /** The digest's day (YYYY-MM-DD in the brokerage's time zone). */
    day: p.string().columnType('date'),
    claimedAt: p.datetime(),
    sentAt: p.datetime().nullable(),
  },
});

export const identityEntities = [UserEntity, UserSessionEntity, UserTokenEntity, AuditLogEntity, DigestSendEntity];
