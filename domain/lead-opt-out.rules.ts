import type { AgentTurnResult } from './agent.types';
import { detectOptOut, isOptOut } from './opt-out.detector';
import { detectLanguage } from './language.detector';
import { replyCopy } from './reply-copy';

// Opt-out on the lead workflow's side: the one detector (opt-out.detector.ts) decides for every
// path, whoever owns the lead and whatever the agent made of the message.

/** Whether any of these lead messages asks to stop all messages. */
export function asksToStop(messages: ReadonlyArray<{ text: string }>): boolean {
  return messages.some((m) => isOptOut(m.text));
}

/** Whether the newest of these messages is a START (opt back in) keyword. */
export function asksToStart(messages: ReadonlyArray<{ text: string }>): boolean {
  const last = messages[messages.length - 1];
  return last !== undefined && detectOptOut(last.text) === 'start';
}

/** The one confirmation an opted-out lead gets, in the language (and script) they wrote in. */
export function optOutConfirmation(text: string): string {
  const guess = detectLanguage(text);
  return (guess && replyCopy(guess.language)?.optOut) || "Done, you're unsubscribed and won't hear from us again. Take care!";
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
