// API error codes in plain language: a broker reads a sentence saying what happened and what to
// do, never "not_claimed: …". The API's own message follows when it adds something (which stage,
// which broker); the code stays on the element (data-code) for support and tests.

const SENTENCES: Record<string, string> = {
  invalid_input: 'Some of what you entered is not valid.',
  bad_request: 'Some of what you entered is not valid.',
  invalid_transition: 'The lead cannot move there from its current stage.',
  unknown_broker: 'That broker does not exist or is no longer active.',
  already_claimed: 'Another broker already owns this lead.',
  not_claimed: 'Nobody owns this lead yet, so there is nothing to release.',
  lead_closed: 'This lead is closed (won or lost). Re-open it before working on it.',
  opted_out: 'The lead asked not to be messaged, so messages are not sent.',
  erased: "This lead's personal data was erased; it cannot be changed any more.",
  task_due_in_past: 'A task must be due in the future. Pick a later date and time.',
  task_not_found: 'That task no longer exists on this lead.',
  task_completed: 'That task is already done.',
  too_many_tasks: 'This lead has too many tasks. Complete some first.',
  owner_required: 'Someone must own the lead before it moves to that stage.',
  not_a_broker: 'Only a broker can claim a lead for themselves. Assign it to a broker from the lead page.',
  forbidden: 'You are not allowed to do that on this lead.',
  unauthorized: 'Your session ended. Sign in again.',
  workflow_not_running: "The lead's conversation has ended, so it takes no more commands.",
  update_failed: 'The lead could not take that change. Try again in a moment.',
  rate_limited: 'Too many requests. Wait a few seconds and try again.',
  api_unreachable: 'Leadline cannot be reached right now. Try again in a moment.',
};

/** The sentence for an error code, falling back to the API's message (already plain) when the code is new. */
export function errorSentence(code: string, message?: string | null): string {
  return SENTENCES[code] ?? (message ? message : 'Something went wrong. Try again in a moment.');
}

// Codes whose API message only repeats the sentence in other words.
const SELF_EXPLAINED = new Set(['task_due_in_past', 'opted_out', 'erased', 'too_many_tasks', 'task_completed', 'not_claimed', 'api_unreachable']);

/** The sentence and, when it adds detail (which stage, which broker), the API's message after it. */
export function errorText(code: string, message?: string | null): { sentence: string; detail: string | null } {
  const sentence = errorSentence(code, message);
  const detail = message && message !== sentence && SENTENCES[code] && !SELF_EXPLAINED.has(code) ? message : null;
  return { sentence, detail };
}
