import { WA_DELIVERY_STATUSES, whatsAppStatusRank } from './whatsapp-inbound.mapper';

// One delivery-status ladder for every channel, built on WhatsApp's ordering: a status only
// ever moves forward, so callbacks arriving out of order (or redelivered) never undo one.
// SMS adds "undelivered" (the carrier gave up), ranked with "failed": a later "delivered"
// still wins, as on WhatsApp.

export const DELIVERY_STATUSES = ['queued', ...WA_DELIVERY_STATUSES, 'undelivered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const RANK: Record<DeliveryStatus, number> = {
  queued: 0,
  ...(Object.fromEntries(WA_DELIVERY_STATUSES.map((s) => [s, whatsAppStatusRank(s)])) as Record<(typeof WA_DELIVERY_STATUSES)[number], number>),
  undelivered: whatsAppStatusRank('failed'),
};

export function isKnownDeliveryStatus(value: string): value is DeliveryStatus {
  return (DELIVERY_STATUSES as readonly string[]).includes(value);
}

/** Whether `incoming` moves a message on from `current` (null: nothing recorded yet). */
export function shouldAdvanceDeliveryStatus(current: string | null, incoming: DeliveryStatus): boolean {
  if (current === null || !isKnownDeliveryStatus(current)) return true;
  return RANK[incoming] > RANK[current];
}
