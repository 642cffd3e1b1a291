/**
 * Event processing of the alert service: the consumer handler that evaluates every rule for
 * each market, portfolio and risk event, the ticker for time-driven transitions, the rules
 * cache and the price history of `price_change` rules.
 */
export { DeadLetterWriter, type DeadLetterWriterOptions } from './dead-letter-writer';
export { createEventProcessor, DEFAULT_MAX_CLOCK_SKEW_MS, EVALUATED_EVENT_TYPES, type EventProcessor, type EventProcessorOptions, type ProcessOutcome } from './event-processor';
export { EvaluationConflictError } from './evaluation-conflict-error';
export { PriceHistory, type PriceHistoryOptions, type PriceLookup } from './price-history';
export { RulesProvider, type RuleSource, type RulesProviderOptions } from './rules-provider';
export { RuleTicker, type TickerOptions } from './rule-ticker';
