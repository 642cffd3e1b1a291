export { createLogger, redactUrl, REDACTED_PATHS, silentLogger, type CreateLoggerOptions, type Logger } from './logger';
