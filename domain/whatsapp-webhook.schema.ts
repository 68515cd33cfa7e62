import { z } from 'zod';

// WhatsApp Cloud API webhook payloads (object "whatsapp_business_account").
// Two levels of strictness on purpose:
// - the envelope is parsed once and only fails when it is not a WhatsApp webhook at all;
// - each message / status is parsed on its own by the mapper, so one malformed or new-style
//   item is skipped with a reason instead of losing the whole batch (Meta does not resend
//   a batch we answered 200 to).
// Every object is loose (unknown keys kept): Meta adds fields without notice.

export const WaErrorSchema = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type WaError = z.infer<typeof WaErrorSchema>;

export const WaMetadataSchema = z.looseObject({
  display_phone_number: z.string(),
  phone_number_id: z.string().min(1),
});

/**
 * Sender profile. Since the 2026 username rollout `wa_id` may be absent and `user_id`
 * (business-scoped user ID, BSUID, e.g. "US.13491208655302741918") present instead.
 */
export const WaContactSchema = z.looseObject({
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  identity_key_hash: z.string().optional(),
});
export type WaContact = z.infer<typeof WaContactSchema>;

export const WaContextSchema = z.looseObject({
  from: z.string().optional(),
  id: z.string().optional(),
  forwarded: z.boolean().optional(),
  frequently_forwarded: z.boolean().optional(),
  referred_product: z.looseObject({ catalog_id: z.string().optional(), product_retailer_id: z.string().optional() }).optional(),
});

/** Click-to-WhatsApp ad attribution, present on the first message after an ad click. */
export const WaReferralSchema = z.looseObject({
  source_url: z.string().optional(),
  source_id: z.string().optional(),
  source_type: z.string().optional(),
  headline: z.string().optional(),
  body: z.string().optional(),
  media_type: z.string().optional(),
  image_url: z.string().optional(),
  video_url: z.string().optional(),
  thumbnail_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
});
export type WaReferral = z.infer<typeof WaReferralSchema>;

/** What every inbound message has; the type-specific object is parsed by the mapper. */
export const WaMessageBaseSchema = z.looseObject({
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  context: WaContextSchema.optional(),
  referral: WaReferralSchema.optional(),
  errors: z.array(WaErrorSchema).optional(),
});
export type WaMessageBase = z.infer<typeof WaMessageBaseSchema>;

export const WaTextSchema = z.looseObject({ body: z.string() });

export const WaMediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
  url: z.string().optional(),
});
export type WaMedia = z.infer<typeof WaMediaSchema>;

export const WaLocationSchema = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});

export const WaSharedContactSchema = z.looseObject({
  name: z.looseObject({
    formatted_name: z.string().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
  }).optional(),
  phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() })).optional(),
  emails: z.array(z.looseObject({ email: z.string().optional(), type: z.string().optional() })).optional(),
  org: z.looseObject({ company: z.string().optional() }).optional(),
});
export const WaSharedContactsSchema = z.array(WaSharedContactSchema).min(1);

/** `emoji` is omitted when the user removes a reaction. */
export const WaReactionSchema = z.looseObject({ message_id: z.string().min(1), emoji: z.string().optional() });

export const WaInteractiveSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('button_reply'), button_reply: z.looseObject({ id: z.string(), title: z.string() }) }),
  z.looseObject({
    type: z.literal('list_reply'),
    list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }),
  }),
  z.looseObject({
    type: z.literal('nfm_reply'),
    nfm_reply: z.looseObject({ name: z.string().optional(), body: z.string().optional(), response_json: z.string() }),
  }),
]);
export type WaInteractive = z.infer<typeof WaInteractiveSchema>;

/** Quick-reply button of a template message. */
export const WaButtonSchema = z.looseObject({ payload: z.string().optional(), text: z.string() });

export const WaOrderSchema = z.looseObject({
  catalog_id: z.string().optional(),
  text: z.string().optional(),
  product_items: z.array(
    z.looseObject({
      product_retailer_id: z.string(),
      quantity: z.union([z.number(), z.string()]),
      item_price: z.union([z.number(), z.string()]).optional(),
      currency: z.string().optional(),
    }),
  ),
});

/**
 * Identity changes. Current types: user_changed_number (new number in `wa_id`),
 * user_changed_user_id (BSUID changed, no phone). Older API versions sent
 * customer_changed_number (`new_wa_id`) and customer_identity_changed.
 */
export const WaSystemSchema = z.looseObject({
  body: z.string().optional(),
  type: z.string().optional(),
  wa_id: z.string().optional(),
  new_wa_id: z.union([z.string(), z.number()]).optional(),
  user_id: z.string().optional(),
  previous_user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  previous_parent_user_id: z.string().optional(),
  identity: z.string().optional(),
  customer: z.string().optional(),
});

export const WaStatusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(WaErrorSchema).optional(),
  conversation: z.looseObject({}).optional(),
  pricing: z.looseObject({ category: z.string().optional() }).optional(),
});
export type WaStatus = z.infer<typeof WaStatusSchema>;

/** `value` of a change with field "messages"; items stay unknown until the mapper parses them. */
export const WaMessagesValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: WaMetadataSchema,
  contacts: z.array(WaContactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(WaErrorSchema).optional(),
});
export type WaMessagesValue = z.infer<typeof WaMessagesValueSchema>;

export const WhatsAppWebhookEnvelope = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});
export type WhatsAppWebhookEnvelope = z.infer<typeof WhatsAppWebhookEnvelope>;
