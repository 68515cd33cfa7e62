// Whether an error is about the data itself (a value Postgres refuses, a broken constraint, a
// malformed input): retrying cannot fix it, so activities fail at once and batches skip the item.
// Everything else (a connection refused, a server restarting, a timeout) may go away.

const DATA_SQLSTATE_CLASSES = ['22', '23', '54'];
const DATA_ERROR_NAMES = new Set(['ZodError', 'ValidationError', 'RangeError', 'DataError']);

function sqlState(err: unknown): string | undefined {
  const e = err as { sqlState?: unknown; code?: unknown } | null;
  const state = typeof e?.sqlState === 'string' ? e.sqlState : typeof e?.code === 'string' ? e.code : undefined;
  return state && /^[0-9A-Z]{5}$/.test(state) ? state : undefined;
}

export function isDataError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const state = sqlState(err);
  if (state && DATA_SQLSTATE_CLASSES.includes(state.slice(0, 2))) return true;
  if (DATA_ERROR_NAMES.has(err.name)) return true;
  // MikroORM wraps the driver's error; the original keeps the SQLSTATE.
  const cause = (err as { cause?: unknown; previous?: unknown }).cause ?? (err as { previous?: unknown }).previous;
  return cause !== undefined && cause !== err && isDataError(cause);
}

/** A short, personal-data-free description: the error's name and SQLSTATE, never the value it choked on. */
export function dataErrorSummary(err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err;
  const state = sqlState(err) ?? sqlState((err as { cause?: unknown } | null)?.cause);
  return state ? `${name} (SQLSTATE ${state})` : name;
}
