import type { InboundBatch } from '../domain/inbound-batch.types';
import { detectOptOut } from '../domain/opt-out.detector';

/**
 * What of a parsed SMS webhook goes to the intake: everything but HELP, which the webhook answers
 * itself in its TwiML (carriers require that answer, and it is not a message to the lead). Given
 * the time the event was received (an intake after the ack, from the stored event), the messages
 * take it: Twilio sends no time of its own, so the parser stamps the time it ran.
 */
export function smsIntakeBatch<B extends InboundBatch>(parsed: B, receivedAt?: Date): { batch: B; help: B['messages'] } {
  const help = parsed.messages.filter((m) => detectOptOut(m.message.text) === 'help');
  const at = receivedAt?.toISOString();
  const messages = parsed.messages.filter((m) => !help.includes(m)).map((m) => (at ? { ...m, message: { ...m.message, receivedAt: at } } : m));
  return { batch: { ...parsed, messages }, help };
}
