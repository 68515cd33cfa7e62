import type { DeliveryStatus } from './delivery-status.rules';
import type { InboundMessage } from './inbound-message.schema';

// What any channel's webhook body becomes once parsed: messages in the channel-neutral
// InboundMessage form with the identity keys of their sender, delivery statuses of our own
// messages, identity changes, provider-level errors, and everything skipped with a reason.
// Channels produce it (channels/<name>), intake consumes it (intake/), whatever the channel.

/** The keys a channel knows a person by. Intake resolves them to one contact: an E.164 phone
 *  from SMS and the same number's WhatsApp id meet on `phone`. */
export interface IdentityKeys {
  phone?: string | null;
  waId?: string | null;
  bsuid?: string | null;
  email?: string | null;
  name?: string | null;
}

export interface InboundItem {
  identity: IdentityKeys;
  message: InboundMessage;
  /** The business address the message was sent to (WhatsApp phone_number_id); replies leave from it. */
  businessAddress?: string;
}

export interface DeliveryStatusUpdate {
  /** The provider's id of our message (wamid, Twilio MessageSid). */
  providerId: string;
  status: DeliveryStatus;
  timestamp: string;
  /** Our idempotency key echoed back (WhatsApp biz_opaque_callback_data): a status can beat the send response. */
  callbackData?: string;
  errors?: unknown[];
  pricingCategory?: string;
}

export interface IdentityChange {
  kind: string;
  providerId: string;
  at: string;
  body?: string;
  previous: { waId?: string; bsuid?: string };
  current: { waId?: string; bsuid?: string; phoneE164?: string };
}

export interface InboundSkip {
  reason: string;
  detail?: string;
  providerId?: string;
  [key: string]: unknown;
}

export interface InboundBatch {
  messages: InboundItem[];
  statuses: DeliveryStatusUpdate[];
  identityChanges: IdentityChange[];
  /** Problems the provider reports about the account or number, not about one message: ops alerts. */
  errors: Array<Record<string, unknown>>;
  skipped: InboundSkip[];
}

export const emptyInboundBatch = (): InboundBatch => ({ messages: [], statuses: [], identityChanges: [], errors: [], skipped: [] });

export const inboundItemCount = (b: InboundBatch) => b.messages.length + b.statuses.length + b.identityChanges.length;
