import type { Route } from './+types/chat_.turn';
import { forwardTurn } from './chat.server';

// POST /chat/turn: the chat page's same-origin door to POST /agent/turn (Server-Sent Events).
export async function action({ request }: Route.ActionArgs) {
  if (request.method !== 'POST') return Response.json({ error: { code: 'method_not_allowed', message: 'POST only', details: null } }, { status: 405 });
  return forwardTurn(request);
}
