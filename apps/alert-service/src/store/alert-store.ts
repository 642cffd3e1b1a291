import type { AlertRecord } from '../alerts';
import type { RuleDefinition } from '../rules';
import { AlertActions } from './alert-actions';
import type { CommittedChange } from './alert-change-writer';
import { alertKeys, type AlertKeys } from './alert-keys';
import { AlertPurger } from './alert-purger';
import { listAlerts, type AlertListQuery, type AlertPage } from './alert-query';
import { AlertNotFoundError } from './alert-store-errors';
import { createAlertStoreMetrics } from './alert-store-metrics';
import { resolveAlertStoreOptions, type AlertStoreOptions } from './alert-store-options';
import { EvaluationApplier, type EvaluationInput, type EvaluationResult } from './evaluation-applier';
import { RuleRepository } from './rule-repository';
import { RuleStateRepository, type DueRuleState, type RuleStateRef, type VersionedRuleState } from './rule-state-repository';
import type { SilenceState } from './silence';
import { SilenceRepository, type SilenceView } from './silence-repository';
import { createStoreContext, type StoreContext } from './store-context';

/** A change as kept in an alert's history: the `AlertChange` with its stream id and notification decision. */
export type StoredAlertChange = CommittedChange;

/**
 * Durable alerts in Redis (Cluster safe: every key carries the `alerts` stream's hash tag).
 * Every alert change and its `alerts` stream event (CloudEvents, `data: {alert, actor,
 * notify, suppressedBy?}`, subject = alert id, id = `<alertId>:<version>`) commit in one Lua
 * script, with its history entry; so do a consumed event's rule states and its
 * idempotency marker. Status transitions: see `LEGAL_TRANSITIONS`.
 */
export class AlertStore {
  /** Every key the store uses. */
  readonly keys: AlertKeys;
  private readonly ctx: StoreContext;
  private readonly states: RuleStateRepository;
  private readonly rules: RuleRepository;
  private readonly silences: SilenceRepository;
  private readonly evaluations: EvaluationApplier;
  private readonly actions: AlertActions;
  private readonly purger: AlertPurger;

  /** @throws AlertStoreOptionsError (code `ERR_STORE_OPTIONS`) for a bad option */
  constructor(options: AlertStoreOptions) {
    const resolved = resolveAlertStoreOptions(options);
    this.keys = alertKeys(resolved.alertsStream);
    this.ctx = createStoreContext(resolved, this.keys, createAlertStoreMetrics(resolved.registry));
    this.states = new RuleStateRepository(this.ctx);
    this.rules = new RuleRepository(this.ctx);
    this.silences = new SilenceRepository(this.ctx);
    this.evaluations = new EvaluationApplier(this.ctx, this.silences);
    this.actions = new AlertActions(this.ctx, this.silences);
    this.purger = new AlertPurger(this.ctx, this.silences);
  }

  // ── Evaluation (the event processor and the ticker) ────────────────────────────────────

  /**
   * Commits what one consumed event (or one tick) changed, atomically: the idempotency
   * marker of `eventId`, every rule state (compare-and-set on `expectedVersion`) and its due
   * time, the alert changes of the transitions (raise / update / resolve; a raise while an
   * alert is open for the fingerprint updates it), S2 occurrences and escalations, each
   * change with its `alerts` event, history entry and notification decision (silence,
   * snooze, rate limit and daily budget per severity).
   * @returns `committed` with the changes, `duplicate` (the event was committed before), or
   *   `conflict` (nothing written: re-read the states, evaluate again, retry)
   */
  applyEvaluation(input: EvaluationInput): Promise<EvaluationResult> {
    return this.evaluations.apply(input);
  }

  /** Whether `eventId`'s effects are committed (a cheap check before evaluating a redelivery). */
  isProcessed(eventId: string): Promise<boolean> {
    return this.states.isProcessed(eventId);
  }

  /** The stored rule states of `refs` in order, with their versions (`undefined`: none yet). */
  readRuleStates(refs: readonly RuleStateRef[]): Promise<Array<VersionedRuleState | undefined>> {
    return this.states.read(refs);
  }

  /** Rule states whose `tick` is due at wall-clock `nowMs`, earliest first, at most `limit` (default 100). */
  dueRuleStates(nowMs: number, limit = 100): Promise<DueRuleState[]> {
    return this.states.due(nowMs, limit);
  }

  /** Every rule state with a due time (running keep-firing or cooldown timers), earliest first. */
  allDueRuleStates(): Promise<DueRuleState[]> {
    return this.states.allDue();
  }

  /**
   * Sets (or with `undefined` clears) when the ticker looks at a rule state next, without a
   * commit, if the state is still at `expectedVersion` (0: none stored).
   * @returns false when the state changed meanwhile (nothing written)
   */
  rescheduleRuleState(ref: RuleStateRef, expectedVersion: number, dueAtMs: number | undefined): Promise<boolean> {
    return this.states.reschedule(ref, expectedVersion, dueAtMs);
  }

  /**
   * Resolves an open alert of rule `ruleId` that the rule's current definition can no longer
   * produce (its labels changed): `alert.resolved` by `rule:<ruleId>`, notified as an automatic
   * resolution, with the rule state of its fingerprint and that state's due time dropped in the
   * same commit (compare-and-set on both). An alert already resolved is left alone.
   * @returns the changes (none when it was resolved already)
   * @throws AlertNotFoundError (code `ERR_ALERT_NOT_FOUND`), AlertConflictError
   */
  async resolveForRuleChange(id: string, ruleId: string): Promise<CommittedChange[]> {
    return (await this.actions.act(id, 'resolve', `rule:${ruleId}`, { dropRuleState: ruleId, onlyIfOpen: true })) ?? [];
  }

  // ── Alerts (the REST API) ──────────────────────────────────────────────────────────────

  /** One alert, or `undefined` (never existed, or purged). */
  async get(id: string): Promise<AlertRecord | undefined> {
    const [record] = await this.ctx.readAlerts([id]);
    return record;
  }

  /**
   * A page of alerts, newest first, filtered by status, severity, type and `label`
   * (`name=value`); `limit` 1..500 (default 50); pass `nextCursor` back as `cursor`.
   * @throws AlertStoreInputError (code `ERR_INVALID_INPUT`, with the field) for bad filters
   */
  list(query: AlertListQuery = {}): Promise<AlertPage> {
    return listAlerts(this.ctx, query);
  }

  /**
   * Every change of an alert, oldest first (the newest `historyLimit`), each as on the stream.
   * @throws AlertNotFoundError (code `ERR_ALERT_NOT_FOUND`) for an unknown id
   */
  async history(id: string): Promise<StoredAlertChange[]> {
    const [exists, entries] = await Promise.all([this.ctx.redis.exists(this.keys.alert(id)), this.ctx.redis.lrange(this.keys.history(id), 0, -1)]);
    if (exists === 0) throw new AlertNotFoundError(id);
    return entries.map((entry) => JSON.parse(entry) as StoredAlertChange);
  }

  /**
   * firing | snoozed → acknowledged (`alert.acknowledged`, not notified).
   * @throws AlertNotFoundError (404), AlertTransitionError (409), AlertStoreInputError (400, bad actor), AlertConflictError
   */
  async acknowledge(id: string, actor: string): Promise<CommittedChange> {
    return first(await this.actions.act(id, 'acknowledge', actor));
  }

  /**
   * firing | acknowledged | snoozed → snoozed until now + `minutes` (5..1440) (`alert.snoozed`).
   * @throws AlertNotFoundError (404), AlertTransitionError (409), AlertStoreInputError (400: minutes, actor), AlertConflictError
   */
  async snooze(id: string, minutes: number, actor: string): Promise<CommittedChange> {
    return first(await this.actions.act(id, 'snooze', actor, { minutes }));
  }

  /**
   * snoozed → firing (`alert.updated`, notified again subject to silences and rate limits).
   * With `onlyIfExpired` (the snooze-expiry job), does nothing and returns `undefined` unless
   * the alert is still snoozed and its `snoozedUntil` has passed, so a re-snooze is honoured.
   * @throws AlertNotFoundError (404), AlertTransitionError (409, without `onlyIfExpired`), AlertConflictError
   */
  async unsnooze(id: string, options: { actor?: string; onlyIfExpired?: boolean } = {}): Promise<CommittedChange | undefined> {
    const changes = await this.actions.act(id, 'unsnooze', options.actor ?? 'system', { onlyIfExpired: options.onlyIfExpired });
    return changes?.[0];
  }

  /**
   * firing | acknowledged | snoozed → resolved (`alert.resolved`, not notified). An open
   * escalation whose every source alert is now resolved resolves too (its own event).
   * @throws AlertNotFoundError (404), AlertTransitionError (409), AlertStoreInputError (400, bad actor), AlertConflictError
   */
  async resolve(id: string, actor: string): Promise<CommittedChange> {
    return first(await this.actions.act(id, 'resolve', actor));
  }

  /** Unsnoozes the alerts whose snooze ran out by `nowMs` (the ticker calls this); returns the changes. */
  expireSnoozes(nowMs = this.ctx.options.clock()): Promise<CommittedChange[]> {
    return this.actions.expireSnoozes(nowMs);
  }

  /** Removes resolved alerts older than the retention (and expired silences); returns how many alerts. */
  purgeResolved(nowMs = this.ctx.options.clock()): Promise<number> {
    return this.purger.purge(nowMs);
  }

  /** Refreshes the `rebal_alerts{status,severity}` gauge (one HGETALL). */
  async refreshMetrics(): Promise<void> {
    this.ctx.metrics.setCounts(await this.ctx.redis.hgetall(this.keys.counts));
  }

  // ── Rules ──────────────────────────────────────────────────────────────────────────────

  /** Every rule, sorted by id. */
  listRules(): Promise<RuleDefinition[]> {
    return this.rules.list();
  }

  /** One rule, or `undefined`. */
  getRule(id: string): Promise<RuleDefinition | undefined> {
    return this.rules.get(id);
  }

  /**
   * Creates a rule, validated with `parseRuleDefinition`, unless its id is taken (one command:
   * concurrent creators of one id cannot both succeed).
   * @returns the rule and `created`, false when the id was taken (nothing written)
   * @throws RuleValidationError (code `ERR_RULE_INVALID`, with `issues[].field`)
   */
  createRule(input: unknown): Promise<{ rule: RuleDefinition; created: boolean }> {
    return this.rules.create(input);
  }

  /**
   * Creates or replaces a rule, validated with `parseRuleDefinition`.
   * @throws RuleValidationError (code `ERR_RULE_INVALID`, with `issues[].field`)
   */
  putRule(input: unknown): Promise<{ rule: RuleDefinition; created: boolean }> {
    return this.rules.put(input);
  }

  /** @throws RuleNotFoundError (code `ERR_RULE_NOT_FOUND`) */
  deleteRule(id: string): Promise<void> {
    return this.rules.delete(id);
  }

  /** Writes `rules` on the first start only (a marker); returns how many were written (0 afterwards). */
  seedIfEmpty(rules: readonly RuleDefinition[]): Promise<number> {
    return this.rules.seedIfEmpty(rules);
  }

  /** Counter bumped by every rule change: poll it to know when to reload rules. */
  rulesVersion(): Promise<number> {
    return this.rules.version();
  }

  // ── Silences ───────────────────────────────────────────────────────────────────────────

  /**
   * Creates a silence: `{matchers: [{name, value, isRegex?, isEqual?}], startsAt?, endsAt,
   * createdBy, comment}` (times as epoch ms or RFC 3339).
   * @throws AlertStoreInputError (code `ERR_INVALID_INPUT`, with the fields)
   */
  createSilence(input: unknown): Promise<SilenceView> {
    return this.silences.create(input);
  }

  /** Silences, newest first, optionally only those in `state`. */
  listSilences(filter: { state?: SilenceState } = {}): Promise<SilenceView[]> {
    return this.silences.list(filter);
  }

  /** One silence, or `undefined`. */
  getSilence(id: string): Promise<SilenceView | undefined> {
    return this.silences.get(id);
  }

  /**
   * Replaces a pending or active silence's matchers, times, author and comment (the input of
   * {@link AlertStore.createSilence}; an omitted `startsAt` keeps the current start). The next
   * commit uses the new silence.
   * @throws AlertStoreInputError (code `ERR_INVALID_INPUT`, with the fields)
   * @throws SilenceNotFoundError (code `ERR_SILENCE_NOT_FOUND`)
   * @throws SilenceExpiredError (code `ERR_SILENCE_EXPIRED`) for an expired silence
   * @throws AlertConflictError (code `ERR_CONFLICT`) when it kept changing under the update
   */
  updateSilence(id: string, input: unknown): Promise<SilenceView> {
    return this.silences.update(id, input);
  }

  /**
   * Expires a silence (kept as `expired` until the retention purge).
   * @throws SilenceNotFoundError (code `ERR_SILENCE_NOT_FOUND`)
   */
  deleteSilence(id: string): Promise<SilenceView> {
    return this.silences.expire(id);
  }
}

function first(changes: CommittedChange[] | undefined): CommittedChange {
  return (changes as CommittedChange[])[0] as CommittedChange;
}

