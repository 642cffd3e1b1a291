// Status: pure evaluation of a check's facts into healthy | degraded | down with reasons, the
// transitions between statuses, and their announcement as system_status events.
export { evaluateHealth, summarizeReasons, type HealthEvaluation, type HealthFacts } from './evaluate-health';
export { evaluateServices, silenceMs, type EvaluateServicesInput } from './evaluate-services';
export {
  STATUS_SEVERITY,
  worst,
  type HealthSnapshot,
  type HealthStatus,
  type InstanceStatusReport,
  type ReasonCode,
  type ServiceStatusReport,
  type StatusReason,
} from './health-snapshot';
export { isGrowing, pendingKey, updatePendingHistory, type PendingHistory } from './pending-trend';
export { StatusAnnouncer, type StatusAnnouncerOptions } from './status-announcer';
export { findTransitions, scopeStatuses, SYSTEM_SCOPE, type ScopeStatus, type Transition } from './transitions';
