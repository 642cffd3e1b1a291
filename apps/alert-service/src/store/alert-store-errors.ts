import type { AlertStatus } from '../alerts';

/** Stable codes of the alert store's errors; callers (the REST API) test these, not messages. */
export type AlertStoreErrorCode =
  | 'ERR_ALERT_NOT_FOUND'
  | 'ERR_ILLEGAL_TRANSITION'
  | 'ERR_INVALID_INPUT'
  | 'ERR_RULE_NOT_FOUND'
  | 'ERR_SILENCE_NOT_FOUND'
  | 'ERR_SILENCE_EXPIRED'
  | 'ERR_CONFLICT'
  | 'ERR_STORE_OPTIONS';

/** Base class of the store's errors. */
export class AlertStoreError extends Error {
  /** Stable code (see {@link AlertStoreErrorCode}). */
  readonly code: AlertStoreErrorCode;

  /**
   * @param code stable code
   * @param message what went wrong, for people
   */
  constructor(code: AlertStoreErrorCode, message: string) {
    super(message);
    this.name = 'AlertStoreError';
    this.code = code;
  }
}

/** No alert has this id (never existed, or purged after its retention). The API answers 404. */
export class AlertNotFoundError extends AlertStoreError {
  /** The id asked for. */
  readonly alertId: string;

  /** @param alertId the unknown id */
  constructor(alertId: string) {
    super('ERR_ALERT_NOT_FOUND', `alert ${alertId} not found`);
    this.name = 'AlertNotFoundError';
    this.alertId = alertId;
  }
}

/** The alert's status does not allow this action (e.g. resolving a resolved alert). The API answers 409. */
export class AlertTransitionError extends AlertStoreError {
  /** The alert's id. */
  readonly alertId: string;
  /** Its status when the action was refused. */
  readonly status: AlertStatus;
  /** The refused action. */
  readonly action: string;

  /**
   * @param alertId the alert
   * @param status its current status
   * @param action the refused action (`acknowledge`, `snooze`, `unsnooze`, `resolve`)
   */
  constructor(alertId: string, status: AlertStatus, action: string) {
    super('ERR_ILLEGAL_TRANSITION', `cannot ${action} alert ${alertId}: it is ${status}`);
    this.name = 'AlertTransitionError';
    this.alertId = alertId;
    this.status = status;
    this.action = action;
  }
}

/** One invalid field of an input. */
export interface InputIssue {
  /** Path of the field, e.g. `limit`, `matchers[0].value`. */
  field: string;
  /** What is wrong and what was expected. */
  message: string;
}

/** An invalid argument or body (query filter, cursor, snooze minutes, silence). The API answers 400. */
export class AlertStoreInputError extends AlertStoreError {
  /** Every problem found, each with its field. */
  readonly issues: InputIssue[];

  /** @param issues the problems, at least one */
  constructor(issues: InputIssue[]) {
    super('ERR_INVALID_INPUT', issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
    this.name = 'AlertStoreInputError';
    this.issues = issues;
  }
}

/** No rule has this id. The API answers 404. */
export class RuleNotFoundError extends AlertStoreError {
  /** The id asked for. */
  readonly ruleId: string;

  /** @param ruleId the unknown id */
  constructor(ruleId: string) {
    super('ERR_RULE_NOT_FOUND', `rule ${ruleId} not found`);
    this.name = 'RuleNotFoundError';
    this.ruleId = ruleId;
  }
}

/** No silence has this id. The API answers 404. */
export class SilenceNotFoundError extends AlertStoreError {
  /** The id asked for. */
  readonly silenceId: string;

  /** @param silenceId the unknown id */
  constructor(silenceId: string) {
    super('ERR_SILENCE_NOT_FOUND', `silence ${silenceId} not found`);
    this.name = 'SilenceNotFoundError';
    this.silenceId = silenceId;
  }
}

/** The silence has expired: it is final and cannot be changed (create a new one). The API answers 409. */
export class SilenceExpiredError extends AlertStoreError {
  /** The expired silence's id. */
  readonly silenceId: string;
  /** When it expired, epoch ms. */
  readonly endedAt: number;

  /**
   * @param silenceId the expired silence
   * @param endedAt its `endsAt`, epoch ms
   */
  constructor(silenceId: string, endedAt: number) {
    super('ERR_SILENCE_EXPIRED', `silence ${silenceId} expired at ${new Date(endedAt).toISOString()}; create a new one`);
    this.name = 'SilenceExpiredError';
    this.silenceId = silenceId;
    this.endedAt = endedAt;
  }
}

/** A change kept losing its compare-and-set against concurrent writers. Retry later (the API answers 503). */
export class AlertConflictError extends AlertStoreError {
  /** @param what the operation that gave up */
  constructor(what: string) {
    super('ERR_CONFLICT', `${what}: too many concurrent changes, try again`);
    this.name = 'AlertConflictError';
  }
}

/** A bad `AlertStore` option. */
export class AlertStoreOptionsError extends AlertStoreError {
  /** @param message the bad option and what was expected */
  constructor(message: string) {
    super('ERR_STORE_OPTIONS', message);
    this.name = 'AlertStoreOptionsError';
  }
}
