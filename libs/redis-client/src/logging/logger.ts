import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths pino removes from every log line, wherever they appear. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  // A whole RedisConfig logged as `{ config }` puts them two levels down (config.main.password).
  '*.*.password',
  'sentinelPassword',
  '*.sentinelPassword',
  '*.*.sentinelPassword',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'secret',
  '*.secret',
];

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Component or service name, logged as `name` (e.g. `alert-service`). */
  name: string;
  /** pino level (default `info`; `silent` turns logging off, as tests do). */
  level?: string;
}

/** A pino JSON logger with secrets redacted. Services create one in `main.ts` and pass it down. */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}

/** A logger that writes nothing: the default for components created without one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * A Redis URL with its password replaced by `***`, safe for logs and error messages.
 * Input that does not parse as a URL is returned as `<unparseable url>`.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
