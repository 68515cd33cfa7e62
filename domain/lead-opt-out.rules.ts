import type { AgentTurnResult } from './agent.types';
import { isOptOut } from './opt-out.detector';

// Opt-out on the lead workflow's side: the one detector (opt-out.detector.ts) decides for every
// path, whoever owns the lead and whatever the agent made of the message.

/** Whether any of these lead messages asks to stop all messages. */
export function asksToStop(messages: ReadonlyArray<{ text: string }>): boolean {
  return messages.some((m) => isOptOut(m.text));
}

const ARABIC = /[\u0600-\u06FF]/u;
const DEVANAGARI = /[\u0900-\u097F]/u;

/** The one confirmation an opted-out lead gets, in the script they wrote in. */
export function optOutConfirmation(text: string): string {
  if (ARABIC.test(text)) return 'تم إلغاء اشتراكك، ولن نرسل لك رسائل أخرى. شكراً لك.';
  if (DEVANAGARI.test(text)) return 'ठीक है, आपको अब हमसे कोई संदेश नहीं मिलेगा। धन्यवाद।';
  return "Done, you're unsubscribed and won't hear from us again. Take care!";
}

/**
 * An agent turn for messages that asked to stop: if the agent missed it, the opt-out is added
 * and its reply (a question, a pitch) becomes the confirmation. A turn with no reply stays
 * without one, so the workflow issues the same commands either way.
 */
export function enforceOptOut(result: AgentTurnResult, messages: ReadonlyArray<{ text: string }>): AgentTurnResult {
  const stop = [...messages].reverse().find((m) => isOptOut(m.text));
  if (!stop || result.intents.some((i) => i.kind === 'opt_out')) return result;
  return { ...result, reply: result.reply ? optOutConfirmation(stop.text) : '', intents: [...result.intents.filter((i) => i.kind !== 'handoff'), { kind: 'opt_out' }], askedFor: null };
}
