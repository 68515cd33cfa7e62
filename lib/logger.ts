import { pino, type Logger } from 'pino';

// PII never reaches the logs: these paths are censored wherever they appear, and message
// bodies are logged by length only by the callers.
// (Top-level `name` is pino's logger name, so callers never log a person's name at the top level.)
export const REDACT_PATHS = [
  'phone',
  'email',
  'text',
  'body',
  'waId',
  'wa_id',
  '*.phone',
  '*.email',
  '*.name',
  '*.text',
  '*.body',
  '*.waId',
  '*.wa_id',
  '*.from',
  '*.profileName',
  'contact.*',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
];

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'leadline',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  });
}

let root: Logger | undefined;

export function logger(): Logger {
  root ??= createLogger();
  return root;
}
