import type { Route } from './+types/chat_.verify';
import { forwardVerification } from './chat.server';

// POST /chat/verify: the chat page's same-origin door to the number check (a one-time code over
// SMS or WhatsApp); the session key stays in the httpOnly cookie, the API token never leaves here.
export async function action({ request }: Route.ActionArgs) {
  if (request.method !== 'POST') return Response.json({ error: { code: 'method_not_allowed', message: 'POST only', details: null } }, { status: 405 });
  return forwardVerification(request);
}
