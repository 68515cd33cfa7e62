export type ErrorDetails = Record<string, unknown> | unknown[] | undefined;

// The one error type that crosses the API boundary: routes throw it, the error middleware
// renders it as { error: { code, message, details } } with its status.
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }
}

export const notFound = (what: string, details?: ErrorDetails) =>
  new AppError('not_found', 404, `${what} not found`, details);

export const badRequest = (message: string, details?: ErrorDetails) =>
  new AppError('bad_request', 400, message, details);

export function errorBody(err: AppError) {
  return { error: { code: err.code, message: err.message, details: err.details ?? null } };
}
