import { WebChatHistory, type WebChatMessage } from '../../domain/webchat-history.schema';
import { apiFetch } from '~/lib/api.server';
import { clientAddressOf } from '~/lib/session.server';
import { sessionKeyFrom } from './chat.server';

/**
 * The conversation so far, for a chat page that was reloaded: the session carries on, so the
 * page shows what was said. An unknown session or an API hiccup shows a fresh chat instead.
 */
export async function loadChatHistory(request: Request): Promise<WebChatMessage[]> {
  const key = await sessionKeyFrom(request);
  if (!key) return [];
  try {
    const res = await apiFetch({ token: null, clientAddress: clientAddressOf(request) }, '/agent/session/messages', { headers: { accept: 'application/json', 'x-session-key': key } });
    if (!res.ok) return [];
    const parsed = WebChatHistory.safeParse(await res.json());
    return parsed.success ? parsed.data.messages : [];
  } catch {
    return [];
  }
}
