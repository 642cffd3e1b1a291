/**
 * The alert rule engine: pure TypeScript, no Redis, no I/O, no clock reads (time is passed
 * in). The store, the REST API and the consumers build on this surface.
 */
export { alertFingerprint, FINGERPRINT_LENGTH } from './alert-fingerprint';
export { RESERVED_LABELS, alertLabels, ruleProducesLabels } from './alert-labels';
export {
  COMMON_TEMPLATE_VARIABLES,
  DEFAULT_SUMMARIES,
  KIND_TEMPLATE_VARIABLES,
  formatTemplateValue,
  renderAnnotations,
  renderTemplate,
  templatePlaceholders,
  templateVariables,
  type RenderedAnnotations,
  type TemplateVariables,
} from './annotation-template';
export {
  DEFAULT_ESCALATION_MIN_ALERTS,
  DEFAULT_ESCALATION_WINDOW_MS,
  findEscalations,
  escalationOf,
  findEventTimeEscalations,
  recentOccurrences,
  shouldEscalate,
  type Escalation,
  type EscalationOptions,
  type EventTimeEscalation,
  type S2Occurrence,
} from './escalation';
export { evaluateEvent, type EvaluateEventOptions, type EvaluatedObservation } from './evaluate-event';
export {
  SERVICE_STATUS_VALUES,
  observe,
  roundValue,
  type Observation,
  type ObserveContext,
  type RuleEvent,
} from './observe';
export {
  DEFAULT_RATE_LIMIT_POLICY,
  decideRateLimit,
  rateLimitKeys,
  resolveRateLimitPolicy,
  utcDay,
  type RateLimitCounters,
  type RateLimitDecision,
  type RateLimitKeyOptions,
  type RateLimitKeys,
  type RateLimitPolicy,
  type SeverityBudget,
} from './rate-limit-policy';
export { RateLimitPolicyError } from './rate-limit-policy-error';
export {
  MAX_RULE_SECONDS,
  MAX_WINDOW_SECONDS,
  RULE_KINDS,
  parseRuleDefinition,
  parseRuleDefinitions,
  portfolioDriftRuleSchema,
  priceChangeRuleSchema,
  priceThresholdRuleSchema,
  riskThresholdRuleSchema,
  ruleActionSchema,
  ruleDefinitionSchema,
  serviceHealthRuleSchema,
  type RuleAction,
  type RuleDefinition,
  type RuleDefinitionInput,
  type RuleKind,
  type RuleOfKind,
  type SeverityThresholds,
} from './rule-definition';
export { ruleConsistencyIssues, type ConsistencyIssue } from './rule-consistency';
export { MAX_TRIGGER_PERIOD_MS, MIN_TRIGGER_PERIOD_MS, parseTriggerPeriod, ruleTriggerSchema, triggerPeriodMs, type RuleTrigger } from './rule-trigger';
export type { RulePhase, RuleState, StepResult, Transition } from './rule-state';
export { step, tick, tickDueAtMs } from './rule-state-machine';
export {
  definedThresholds,
  entryThreshold,
  isRecovered,
  passesThreshold,
  recoveryLevel,
  severityFor,
  thresholdDirection,
  type ThresholdDirection,
  type ThresholdRule,
} from './rule-thresholds';
export { RuleValidationError, formatFieldPath, type RuleValidationIssue } from './rule-validation-error';
export { seedRules } from './seed-rules';
export { SEVERITIES, SEVERITY_NAMES, isSeverity, severityRank, type Severity } from './severity';
