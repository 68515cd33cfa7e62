import { z } from 'zod';

// GET /agent/session/messages: what a web chat visitor sees again after a reload. One schema
// for the API that builds it and the chat page that reads it.

export const WebChatMessage = z.object({
  id: z.string(),
  /** me: the visitor; agent: the AI; broker: a person who took over. */
  from: z.enum(['me', 'agent', 'broker']),
  text: z.string(),
  at: z.string(),
});
export type WebChatMessage = z.infer<typeof WebChatMessage>;

export const WebChatHistory = z.object({ messages: z.array(WebChatMessage) }).meta({ id: 'WebChatHistory' });
export type WebChatHistory = z.infer<typeof WebChatHistory>;
