import { z } from 'zod';

// Twilio's webhook parameters (application/x-www-form-urlencoded), as documented for incoming
// messages (https://www.twilio.com/docs/messaging/guides/webhook-request) and status callbacks
// (https://www.twilio.com/docs/messaging/api/message-resource#twilios-request-to-the-statuscallback-url).
// Loose: Twilio adds parameters over time (FromCity, OptOutType, ...), and those are kept.

const Sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `a ${prefix}… SID`);

export const TwilioInboundParams = z.looseObject({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'an SM… or MM… SID'),
  AccountSid: Sid('AC'),
  MessagingServiceSid: Sid('MG').optional(),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
  NumSegments: z.coerce.number().int().min(0).optional(),
  ProfileName: z.string().optional(),
});
export type TwilioInboundParams = z.infer<typeof TwilioInboundParams>;

export const TwilioStatusParams = z.looseObject({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'an SM… or MM… SID'),
  AccountSid: Sid('AC'),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
  From: z.string().optional(),
  To: z.string().optional(),
});
export type TwilioStatusParams = z.infer<typeof TwilioStatusParams>;

/** Form bytes into the flat map Twilio signed (it never repeats a key). */
export function readFormParams(raw: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}
