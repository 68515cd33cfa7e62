import { ApplicationFailure } from '@temporalio/activity';
import { dataErrorSummary, isDataError } from '../lib/data-error';

/** The failure type a data error becomes: the workflow alerts on it at once instead of retrying. */
export const DATA_ERROR_TYPE = 'DataError';

// Every activity runs through this: an error about the data itself (Postgres refused a value, a
// constraint broke, an input did not parse) fails the activity for good on the first attempt,
// so no lead retries for ten minutes on something that will never go away. The message names
// the error class and SQLSTATE only, never the value (it may be personal data).
export function failDataErrorsAtOnce<T extends Record<string, unknown>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn !== 'function') {
      wrapped[name] = fn;
      continue;
    }
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        if (err instanceof ApplicationFailure || !isDataError(err)) throw err;
        throw ApplicationFailure.nonRetryable(`${name} failed on its data: ${dataErrorSummary(err)}`, DATA_ERROR_TYPE);
      }
    };
  }
  return wrapped as T;
}
