import { z } from 'zod';
import { Channel } from './profile.schema';

// One message from a lead, whatever channel brought it, in the form the workflow and the
// agent use. Channel adapters map provider payloads into this; the raw payload stays in the
// inbound event log.
export const InboundKind = z.enum([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'button',
  'interactive',
  'nfm_reply',
  'order',
  'system',
  'referral',
  'unsupported',
  'leadgen',
]);
export type InboundKind = z.infer<typeof InboundKind>;

export const InboundMessage = z.object({
  /** Provider id (wamid, leadgen_id, web client message id): the dedupe key. */
  providerId: z.string().min(1),
  channel: Channel,
  kind: InboundKind,
  /** What the agent reads: the text, or a short description of non-text content. */
  text: z.string(),
  receivedAt: z.string(),
  /** wamid of the message this one replies to (WhatsApp `context`). */
  contextId: z.string().optional(),
  media: z
    .object({ id: z.string(), mimeType: z.string().optional(), sha256: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() })
    .optional(),
  /** Contact cards the lead shared (WhatsApp `contacts`): a referral, or the lead's own details. */
  sharedContacts: z
    .array(z.object({ name: z.string().optional(), phones: z.array(z.string()), waIds: z.array(z.string()), emails: z.array(z.string()) }))
    .optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  /** The choice behind a tapped button / list row / template quick reply: `id` is the
   *  business-defined id or payload, `title` what the lead saw (also in `text`). */
  selection: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
  /** A reaction to one of our messages; no `emoji` means the lead removed the reaction. */
  reaction: z.object({ messageId: z.string(), emoji: z.string().optional() }).optional(),
  /** Structured answers (Lead Ads field_data, WhatsApp Flows response_json). */
  formAnswers: z.record(z.string(), z.string()).optional(),
  /** Click-to-WhatsApp ad or Lead Ads attribution, kept for reporting by source. */
  attribution: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])).optional(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;
