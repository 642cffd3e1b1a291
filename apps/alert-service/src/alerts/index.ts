export { ALERT_STATUSES, type AlertChange, type AlertEscalation, type AlertEventType, type AlertRecord, type AlertStatus } from './alert-record';
