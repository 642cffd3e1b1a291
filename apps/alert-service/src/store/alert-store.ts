import type { AlertRecord } from '../alerts';
import type { RuleDefinition } from '../rules';
import { AlertActions } from './alert-actions';
import { readAlertEvidence, type AlertEvidenceView } from './alert-evidence';
import type { CommittedChange } from './alert-change-writer';
import { alertKeys, type AlertKeys } from './alert-keys';
import { AlertPurger } from './alert-purger';
import { listAlerts, type AlertListQuery, type AlertPage } from './alert-query';
import { AlertNotFoundError } from './alert-store-errors';
import { createAlertStoreMetrics } from './alert-store-metrics';
import { resolveAlertStoreOptions, type AlertStoreOptions } from './alert-store-options';
import { EvaluationApplier, type EvaluationInput, type EvaluationResult, type PartitionFence } from './evaluation-applier';
import { RuleRepository, type RuleChanges } from './rule-repository';
import { readRuleStatuses, type RuleStatus } from './rule-status';
import type { SilenceState } from './silence';
import { SilenceRepository, type SilenceView } from './silence-repository';
import { createStoreContext, type StoreContext } from './store-context';

/** A change as kept in an alert's history: the `AlertChange` with its stream id and notification decision. */
export type StoredAlertChange = CommittedChange;

/**
 * Durable alerts in Redis (Cluster safe: every key carries the `alerts` stream's hash tag).
 * Every alert change and its `alerts` stream event (CloudEvents, `data: {alert, actor,
 * notify, suppressedBy?}`, subject = alert id, id = `<alertId>:<version>`) commit in one Lua
 * script, with its history entry; so do the rule states an event changed, fenced by the lease
 * of their partition. Status transitions: see `LEGAL_TRANSITIONS`.
 */
export class AlertStore {
  /** Every key the store uses. */
  readonly keys: AlertKeys;
  private readonly ctx: StoreContext;
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
    this.rules = new RuleRepository(this.ctx);
    this.silences = new SilenceRepository(this.ctx);
    this.evaluations = new EvaluationApplier(this.ctx, this.silences);
    this.actions = new AlertActions(this.ctx, this.silences);
    this.purger = new AlertPurger(this.ctx, this.silences);
  }

  // ── Evaluation (the rule engine) ────────────────────────────────────────────────────────

  /**
   * Commits what one consumed event (or one timer) changed, atomically and only while the
   * partition is still leased as `fence` says: the rule states written, the alert changes of the
   * transitions (raise / update / resolve; a raise while an alert is open for the fingerprint
   * updates it), S2 occurrences and escalations, each change with its `alerts` event, history
   * entry and notification decision (silence, snooze, rate limit and daily budget per severity).
   * @returns `committed` with the changes, `fenced` (another replica leases the partition now:
   *   nothing written), or `conflict` (an alert changed since it was read: plan again, retry)
   */
  applyEvaluation(input: EvaluationInput): Promise<EvaluationResult> {
    return this.evaluations.apply(input);
  }

  /**
   * What Redis holds for one partition of the rule engine, read when a replica takes it over:
   * the partition's hash (epoch, lease, high-water marks, subjects' times), its rule states,
   * its price stream, and the feeds' statuses (every partition's: few). One round trip.
   */
  async loadPartition(index: number): Promise<{ fields: Record<string, string>; states: Record<string, string>; prices: Array<[string, string[]]>; feeds: Record<string, string> }> {
    const replies = (await this.ctx.redis
      .pipeline()
      .hgetall(this.keys.partition(index))
      .hgetall(this.keys.partitionStates(index))
      .xrange(this.keys.partitionPrices(index), '-', '+')
      .hgetall(this.keys.feeds)
      .exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    return {
      fields: (replies[0]?.[1] ?? {}) as Record<string, string>,
      states: (replies[1]?.[1] ?? {}) as Record<string, string>,
      prices: (replies[2]?.[1] ?? []) as Array<[string, string[]]>,
      feeds: (replies[3]?.[1] ?? {}) as Record<string, string>,
    };
  }

  /**
   * Resolves an open alert of rule `ruleId` that the rule's current definition can no longer
   * produce (its labels changed): `alert.resolved` by `rule:<ruleId>`, notified as an automatic
   * resolution, with the rule state of its fingerprint dropped from its partition in the same
   * commit, fenced by the partition's lease. An alert already resolved is left alone.
   * @returns the changes (none when it was resolved already, or the partition moved on)
   * @throws AlertNotFoundError (code `ERR_ALERT_NOT_FOUND`), AlertConflictError
   */
  async resolveForRuleChange(id: string, ruleId: string, fence: PartitionFence): Promise<CommittedChange[]> {
    return (await this.actions.act(id, 'resolve', `rule:${ruleId}`, { dropRuleState: { ruleId, fence }, onlyIfOpen: true })) ?? [];
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
   * The events that moved an alert (its `evidence`: the raise, severity changes, the clear),
   * each read back from its stream while the stream holds it and with its stored values after,
   * and for a price alert its symbol's prices around the raise.
   * @throws AlertNotFoundError (code `ERR_ALERT_NOT_FOUND`) for an unknown id
   */
  async evidence(id: string): Promise<AlertEvidenceView> {
    const record = await this.get(id);
    if (!record) throw new AlertNotFoundError(id);
    return readAlertEvidence(this.ctx, record);
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

  /** Rules by id, in order (`undefined`: none, or stored invalid). One HMGET. */
  getRules(ids: readonly string[]): Promise<Array<RuleDefinition | undefined>> {
    return this.rules.getMany(ids);
  }

  /**
   * The rules changed after change-log entry `afterId` (`0-0`: from the start of the log), and
   * the id to read on from; `all` when the log no longer reaches back that far or a change
   * concerned every rule (the seed): then read them all.
   */
  ruleChangesSince(afterId: string): Promise<RuleChanges> {
    return this.rules.changesSince(afterId);
  }

  /** The newest rule change-log id (`0-0`: none yet): where a cache that read every rule reads changes on from. */
  lastRuleChangeId(): Promise<string> {
    return this.rules.lastChangeId();
  }

  /** One rule, or `undefined`. */
  getRule(id: string): Promise<RuleDefinition | undefined> {
    return this.rules.get(id);
  }

  /**
   * The status of each rule given, by id (see `RuleStatus`): disabled, expired or active, why
   * the engine disabled it, and per subject its phase or `no_data` while the subject's feed is
   * stale. Read from the states the engine keeps in Redis: a few commands whatever the number of rules.
   */
  ruleStatuses(rules: readonly RuleDefinition[]): Promise<Map<string, RuleStatus>> {
    return readRuleStatuses(this.ctx, rules, this.ctx.options.clock());
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

