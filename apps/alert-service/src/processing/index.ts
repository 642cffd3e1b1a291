/**
 * Event processing of the alert service: partitions leased per replica, the input streams read
 * with XREAD, the rule engine of the partitions held, timers, rule changes, dead letters.
 */
export { AlertProcessor, DEFAULT_MAX_CLOCK_SKEW_MS, EVALUATED_EVENT_TYPES, type AlertProcessorOptions, type EntryOutcome, type InputStream } from './alert-processor';
export { DeadLetterWriter, type DeadLetterWriterOptions } from './dead-letter-writer';
export { EvaluationConflictError } from './evaluation-conflict-error';
export { DEFAULT_RULES_REFRESH_INTERVAL_MS, RulesProvider, type RuleChangeSet, type RulesProviderOptions } from './rules-provider';
