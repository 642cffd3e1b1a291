/**
 * Durable alert storage in Redis: alerts, their history and `alerts` stream events (one Lua
 * script per change), rule states, rules, silences, escalation and notification budgets.
 */
export { AlertStore, type StoredAlertChange } from './alert-store';
export type { AlertStoreOptions } from './alert-store-options';
export type { CommittedChange, SuppressionReason } from './alert-change-writer';
export type { EvaluationInput, EvaluationResult, PartitionFence, RuleStateWrite } from './evaluation-applier';
export type { RuleChanges, RuleDisabled } from './rule-repository';
export type { RuleStatus, RuleSubjectStatus } from './rule-status';
export { EVIDENCE_PRICE_WINDOW_MS, MAX_EVIDENCE_PRICES, type AlertEvidenceView, type EvidenceItem, type EvidencePrice } from './alert-evidence';
export type { RuleTransition } from './alert-from-transition';
export { ESCALATION_RULE_ID } from './alert-from-transition';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type AlertListQuery, type AlertPage } from './alert-query';
export { LEGAL_TRANSITIONS, nextStatus, type AlertAction } from './alert-status-transitions';
export { SNOOZE_MINUTES } from './alert-actions';
export { alertKeys, type AlertKeys } from './alert-keys';
export {
  AlertConflictError,
  AlertNotFoundError,
  AlertStoreError,
  AlertStoreInputError,
  AlertStoreOptionsError,
  AlertTransitionError,
  RuleNotFoundError,
  SilenceExpiredError,
  SilenceNotFoundError,
  type AlertStoreErrorCode,
  type InputIssue,
} from './alert-store-errors';
export { silenceInputSchema, silenceMatches, silenceState, type Silence, type SilenceInput, type SilenceMatcher, type SilenceState } from './silence';
export type { SilenceView } from './silence-repository';
