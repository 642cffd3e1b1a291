export { ALERT_STATUSES, MAX_EVIDENCE, type AlertChange, type AlertEscalation, type AlertEventType, type AlertEvidence, type AlertRecord, type AlertStatus } from './alert-record';
