import { compareStreamIds, type CloudEvent, type FeedStatusData } from '@rebal/redis-client';
import { FEED_ALERT_TYPE, type AlertEvidence } from '../alerts';
import { observe, step, tick, tickDueAtMs, type Observation, type RuleDefinition, type RuleKind, type RuleState } from '../rules';
import type { RuleTransition } from '../store';
import { priceSubject, routeOfLabels, routingKey, subjectOf, subjectsOfEvent, type EventRoute } from './event-routing';
import { feedStateOf, feedTransition, type FeedState } from './feed-alert';
import { Partition, type HeldState } from './partition';
import { MIN_PRICE_KEEP_MS, PRICE_KEEP_MARGIN_MS } from './price-series';
import { RuleBook } from './rule-book';
import { TimerQueue } from './timer-queue';

/** What evaluating one event (or one timer) changed: to be committed together, fenced by the partition's epoch. */
export interface EngineWork {
  /** Transitions to commit, in the order the engine before issue 12 made them (by rule id, then observation). */
  readonly transitions: RuleTransition[];
  /** States whose phase or timers changed: written with the commit (the others at the next checkpoint). */
  readonly writes: HeldState[];
  /** Per visited observation: its rule kind and outcome (`raise`, `update`, `resolve`, `unchanged`, `ignored`). */
  readonly outcomes: Array<[kind: string, outcome: string]>;
  /**
   * `once` rules that fired in this work, as they were before: the engine disabled them at once,
   * the commit records why (`rules:disabled`), and a failed commit puts them back.
   */
  spent?: RuleDefinition[];
  /** Feed statuses that changed: written with the commit (`{alerts}:feeds`). */
  feeds?: FeedState[];
}

/** One evaluated event: where it comes from and when. */
export interface EngineEvent {
  /** The key of the stream it was read from. */
  readonly stream: string;
  /** The stream id of the entry. */
  readonly entryId: string;
  readonly event: CloudEvent;
  /** Its route (family and partition key). */
  readonly route: EventRoute;
  /** Its `time` in ms: every timer runs in event time. */
  readonly atMs: number;
  /** Wall clock minus `atMs` (at least 0) when it is evaluated: its frame (rules README, "Time"). */
  readonly offsetMs: number;
  /** A takeover re-reading events: a state already holding an event at or after this one skips it. */
  readonly replay: boolean;
}

/** Rules are visited in the order the rules cache listed them before issue 12: by id, `localeCompare`. */
const byId = new Intl.Collator().compare;

/** Whether a step changed what must survive a takeover exactly: phase, times, severity. */
function phaseChanged(before: RuleState | undefined, after: RuleState): boolean {
  return (
    before === undefined ||
    before.phase !== after.phase ||
    before.since !== after.since ||
    before.severity !== after.severity ||
    before.clearedAtMs !== after.clearedAtMs ||
    before.resolvedAtMs !== after.resolvedAtMs
  );
}

/**
 * The rule engine of one replica, in memory: the rules (indexed), and for each partition it owns
 * the rule states that are not inactive (plus those waiting to be written as inactive), the
 * subjects' newest event times, and the price series. An event meets only the rules whose
 * condition its value passes (sorted thresholds per subject) and the rules with a state there
 * that is not inactive; each runs the pure `step` of rules/ exactly as before, so the
 * transitions are the same. Nothing here talks to Redis: the processor commits what
 * {@link EngineWork} says, checkpoints what {@link AlertEngine.checkpointOf} says.
 */
export class AlertEngine {
  /** The rules, indexed. */
  readonly rules = new RuleBook();
  /** The partitions this replica owns, by number. */
  readonly partitions = new Map<number, Partition>();
  private readonly states = new Map<string, HeldState>();
  /** Per routing key: rule id → how many of its states there are not inactive. */
  private readonly active = new Map<string, Map<string, number>>();
  private readonly timers = new TimerQueue();

  /** Held states, all partitions. */
  get heldStates(): number {
    return this.states.size;
  }

  /** A held state by `<ruleId>|<fingerprint>`. */
  held(key: string): HeldState | undefined {
    return this.states.get(key);
  }

  /** Every held state of a rule. */
  statesOfRule(ruleId: string): HeldState[] {
    return [...this.states.values()].filter((held) => held.ruleId === ruleId);
  }

  /**
   * Evaluates one event of an owned partition: records its price when a `price_change` rule
   * watches the symbol, steps every rule that can change (see the class comment), and moves its
   * subjects' newest times on. `undefined` when no rule could change.
   */
  evaluate(partition: Partition, input: EngineEvent): EngineWork | undefined {
    const { event, route, atMs } = input;
    if (route.family === 'f') return this.feedStatus(partition, input);
    // The quiet path allocates nothing per rule: candidates only when some rule's condition holds.
    let candidates: Map<string, RuleDefinition> | undefined;
    const add = (rule: RuleDefinition) => (candidates ??= new Map()).set(rule.id, rule);
    switch (route.family) {
      case 'm': {
        const { symbol, price } = event.data as { symbol: string; price: number };
        const windowMs = this.rules.longestWindowMs(symbol);
        if (windowMs > 0) partition.prices.record(symbol, atMs, price, Math.max(MIN_PRICE_KEEP_MS, windowMs + PRICE_KEEP_MARGIN_MS));
        this.rules.priceCandidates(symbol, price, (windowSeconds) => partition.prices.priceAt(symbol, atMs - windowSeconds * 1000), add);
        break;
      }
      case 'd':
        this.rules.driftRules(route.key).forEach(add);
        break;
      case 'r':
        this.rules.riskRules(String((event.data as { metric?: unknown }).metric)).forEach(add);
        break;
      case 'h':
        this.rules.healthRules(route.key).forEach(add);
        break;
    }
    if (this.active.size > 0) {
      for (const ruleId of this.active.get(routingKey(route))?.keys() ?? []) {
        const rule = this.rules.get(ruleId);
        if (rule) add(rule);
      }
    }
    let work: EngineWork | undefined;
    if (candidates) {
      work = { transitions: [], writes: [], outcomes: [] };
      const priceAt = (symbol: string, at: number) => partition.prices.priceAt(symbol, at);
      const ordered = [...candidates.values()].sort((a, b) => byId(a.id, b.id));
      for (const rule of ordered) {
        for (const observation of observe(rule, event, { priceAt })) {
          const outcome = this.observe(partition, rule, observation, input, work);
          // A `once` rule fires once: it is disabled before anything else can reach it.
          if (outcome === 'raise' && rule.trigger === 'once') {
            (work.spent ??= []).push(rule);
            this.ruleChanged(rule.id, { ...rule, enabled: false });
            break;
          }
        }
      }
    }
    if (route.family === 'm') {
      if (this.rules.watchesSymbol(route.key)) this.moveSubject(partition, priceSubject(route.key), input);
    } else if (this.watches(route, event.data)) {
      for (const subject of subjectsOfEvent(route, event.data)) this.moveSubject(partition, subject, input);
    }
    return work;
  }

  private moveSubject(partition: Partition, subject: string, input: EngineEvent): void {
    const known = partition.subjects.get(subject);
    if (known && known.atMs >= input.atMs) return;
    if (known) {
      known.atMs = input.atMs;
      known.offsetMs = input.offsetMs;
    } else {
      partition.subjects.set(subject, { atMs: input.atMs, offsetMs: input.offsetMs });
    }
    partition.dirtySubjects.add(subject);
  }

  /**
   * Pops the held states whose timer is due by wall-clock `nowMs` (due time plus frame offset),
   * earliest first, and ticks each at its event-time due: a keep-firing expiry resolves, a
   * cooldown ends. One work per state that changed, in that order.
   */
  tickDue(nowMs: number): Array<{ partition: Partition; work: EngineWork }> {
    const done: Array<{ partition: Partition; work: EngineWork }> = [];
    for (let entry = this.timers.peek(); entry && entry.wallMs <= nowMs; entry = this.timers.peek()) {
      this.timers.pop();
      const held = this.states.get(entry.key);
      if (!held || held.timerGeneration !== entry.generation) continue;
      const partition = this.partitions.get(held.partition);
      const rule = this.rules.get(held.ruleId);
      if (!partition || !rule) {
        // A deleted rule's states keep what they hold; nothing times them any more.
        held.timerGeneration += 1;
        continue;
      }
      const dueAtMs = tickDueAtMs(rule, held.state);
      if (dueAtMs === undefined) {
        held.timerGeneration += 1;
        continue;
      }
      if (dueAtMs + held.frameOffsetMs > nowMs) {
        this.schedule(held, rule);
        continue;
      }
      const result = tick(rule, held.state, dueAtMs);
      if (result.state === held.state) continue;
      const work: EngineWork = { transitions: [], writes: [], outcomes: [] };
      if (result.transition) {
        work.transitions.push({ kind: rule.kind, transition: result.transition, ...(held.clear ? { evidence: [held.clear] } : {}) });
        work.outcomes.push([rule.kind, result.transition.kind]);
        delete held.clear;
      }
      this.apply(held, rule, result.state, held.frameOffsetMs, undefined, work, true);
      done.push({ partition, work });
    }
    return done;
  }

  /**
   * A rule was added, replaced or deleted (`rule` undefined): the index follows, and the timers
   * of its held states are recomputed with its new timers, each in its state's frame (rules
   * README, "Time", rule 4).
   */
  ruleChanged(id: string, rule: RuleDefinition | undefined): void {
    if (rule) this.rules.set(rule);
    else this.rules.delete(id);
    for (const held of this.statesOfRule(id)) {
      if (rule) this.schedule(held, rule);
      else held.timerGeneration += 1;
    }
  }

  /** Drops a held state (its alert was resolved because its rule no longer produces its labels). */
  forget(key: string): void {
    const held = this.states.get(key);
    if (!held) return;
    this.setActive(held, false);
    held.timerGeneration += 1;
    this.states.delete(key);
  }

  /** Takes over a partition: its held states as Redis kept them (field → JSON, see {@link encodeHeld}). */
  adopt(partition: Partition, stored: Readonly<Record<string, string>>): void {
    this.partitions.set(partition.index, partition);
    for (const [key, json] of Object.entries(stored)) {
      const held = decodeHeld(key, json, partition.index);
      if (!held) continue;
      this.states.set(key, held);
      const rule = this.rules.get(held.ruleId);
      this.setActive(held, held.state.phase !== 'inactive');
      if (rule) this.schedule(held, rule);
    }
  }

  /** Gives a partition up (released, lost or reset): everything held for it is forgotten. */
  release(index: number): Partition | undefined {
    const partition = this.partitions.get(index);
    if (!partition) return undefined;
    for (const held of [...this.states.values()]) if (held.partition === index) this.forget(held.key);
    this.partitions.delete(index);
    return partition;
  }

  /**
   * What a checkpoint of `partition` writes: each held state that changed since it was last
   * written (JSON), or deleted when inactive (an inactive state is its subject's time; it stays
   * held only until this write), and the subjects whose newest time moved. Call
   * {@link AlertEngine.checkpointed} once it is committed.
   */
  checkpointOf(partition: Partition): { states: Record<string, string | null>; subjects: Record<string, string> } {
    const states: Record<string, string | null> = {};
    for (const held of this.states.values()) {
      if (held.partition !== partition.index) continue;
      if (held.state.phase === 'inactive') {
        if (held.persisted) states[held.key] = null;
      } else if (held.dirty) {
        states[held.key] = encodeHeld(held, held.version + 1);
      }
    }
    const subjects: Record<string, string> = {};
    for (const subject of partition.dirtySubjects) {
      const time = partition.subjects.get(subject);
      if (time) subjects[subject] = `${time.atMs}:${time.offsetMs}`;
    }
    return { states, subjects };
  }

  /** The checkpoint of {@link AlertEngine.checkpointOf} is in Redis: inactive states are dropped, the others are clean. */
  checkpointed(partition: Partition, written: { states: Record<string, string | null> }): void {
    for (const [key, json] of Object.entries(written.states)) {
      const held = this.states.get(key);
      if (!held) continue;
      if (json === null) this.forget(key);
      else {
        held.version += 1;
        held.persisted = true;
        held.dirty = false;
      }
    }
    for (const held of [...this.states.values()]) {
      if (held.partition === partition.index && held.state.phase === 'inactive' && !held.persisted) this.forget(held.key);
    }
    partition.dirtySubjects.clear();
  }

  /** A commit of `writes` succeeded: they are in Redis at their next version. */
  committed(writes: readonly HeldState[]): void {
    for (const held of writes) {
      held.version += 1;
      held.persisted = true;
      held.dirty = false;
    }
  }

  /** How many feeds of the owned partitions are stale now. */
  get staleFeeds(): number {
    let stale = 0;
    for (const partition of this.partitions.values()) for (const feed of partition.feeds.values()) if (feed.status === 'stale') stale += 1;
    return stale;
  }

  /**
   * A `feed_status` event: a feed that goes stale raises its S1 alert, one that is fresh again
   * resolves it, each with the event as evidence and the feed's new status to write; a repeated
   * status, or an entry a takeover re-reads, changes nothing. The price rules of a stale symbol
   * feed are in `no_data` for as long (their status, read from `{alerts}:feeds`).
   */
  private feedStatus(partition: Partition, input: EngineEvent): EngineWork | undefined {
    const next = feedStateOf(input.event.data as FeedStatusData, input.entryId);
    const known = partition.feeds.get(next.feed);
    if (known && compareStreamIds(input.entryId, known.entryId) <= 0) return undefined;
    const transition = feedTransition(known, next, input.atMs);
    if (!transition) return undefined;
    partition.feeds.set(next.feed, next);
    const evidence: AlertEvidence = { type: transition.kind === 'raise' ? 'raise' : 'clear', stream: input.stream, id: input.entryId, value: transition.value, at: input.atMs, ...(transition.kind === 'raise' ? { severity: transition.severity } : {}) };
    return { transitions: [{ kind: FEED_ALERT_TYPE, transition, evidence: [evidence] }], writes: [], outcomes: [[FEED_ALERT_TYPE, transition.kind]], feeds: [next] };
  }

  /** Wall-clock time of the earliest timer, if any (stale entries included: an upper bound on the wait). */
  nextTimerAt(): number | undefined {
    return this.timers.peek()?.wallMs;
  }

  /** Steps one observation; returns the kind of its transition (`raise`, `update`, `resolve`), if any. */
  private observe(partition: Partition, rule: RuleDefinition, observation: Observation, input: EngineEvent, work: EngineWork): string | undefined {
    const key = `${rule.id}|${observation.fingerprint}`;
    const held = this.states.get(key);
    if (held && input.replay && held.lastEntryId !== undefined && compareStreamIds(input.entryId, held.lastEntryId) <= 0) return undefined;
    const known = held ? undefined : partition.subjects.get(subjectOf(rule.kind, observation.labels));
    // An inactive state lives as its subject's newest time: it observed every event of the subject.
    const previous: RuleState | undefined = held?.state ?? (known ? { phase: 'inactive', lastEventAtMs: known.atMs } : undefined);
    const previousOffset = held ? held.frameOffsetMs : (known?.offsetMs ?? 0);
    const result = step(rule, previous, observation, input.atMs);
    if (previous !== undefined && result.state === previous) {
      work.outcomes.push([rule.kind, 'ignored']);
      return undefined;
    }
    // What this event proves: the raise, a severity change, the clear (now, or kept until the keep-firing expiry resolves).
    const evidence: AlertEvidence = { type: 'raise', stream: input.stream, id: input.entryId, value: observation.value, at: observation.atMs };
    let clear = held?.clear;
    if (result.expired) {
      work.transitions.push({ kind: rule.kind, transition: result.expired, ...(clear ? { evidence: [clear] } : {}) });
      work.outcomes.push([rule.kind, result.expired.kind]);
      clear = undefined;
    }
    if (result.transition) {
      const kind = result.transition.kind;
      const proof: AlertEvidence = kind === 'resolve' ? (clear ?? { ...evidence, type: 'clear' }) : { ...evidence, type: kind, severity: result.transition.severity };
      work.transitions.push({ kind: rule.kind, transition: result.transition, evidence: [proof] });
      clear = undefined;
    }
    if (result.state.phase === 'firing' && result.state.clearedAtMs !== undefined) clear ??= { ...evidence, type: 'clear' };
    else clear = undefined;
    work.outcomes.push([rule.kind, result.transition?.kind ?? 'unchanged']);
    // Only an observation that moves the state's event time on moves its frame.
    const offset = previous?.lastEventAtMs !== undefined && observation.atMs <= previous.lastEventAtMs ? previousOffset : input.offsetMs;
    if (!held && result.state.phase === 'inactive') return result.transition?.kind;
    // A state leaving (or returning to) inactive, or changing phase, times or severity, is written with the commit.
    const persist = phaseChanged(held?.state, result.state) || result.expired !== undefined || result.transition !== undefined;
    const target = held ?? this.hold(partition, rule.kind, key, rule.id, observation);
    if (clear) target.clear = clear;
    else delete target.clear;
    this.apply(target, rule, result.state, offset, input.entryId, work, persist);
    return result.transition?.kind;
  }

  /** Sets a held state's new state and schedules its timer; `persist` adds it to the commit's writes. */
  private apply(held: HeldState, rule: RuleDefinition, next: RuleState, offsetMs: number, entryId: string | undefined, work: EngineWork, persist: boolean): void {
    held.state = next;
    held.frameOffsetMs = offsetMs;
    if (entryId !== undefined) held.lastEntryId = entryId;
    held.dirty = true;
    this.setActive(held, next.phase !== 'inactive');
    this.schedule(held, rule);
    if (persist) work.writes.push(held);
  }

  private hold(partition: Partition, kind: RuleKind, key: string, ruleId: string, observation: Observation): HeldState {
    const route = routeOfLabels(kind, observation.labels);
    const held: HeldState = {
      key,
      ruleId,
      fingerprint: observation.fingerprint,
      partition: partition.index,
      routing: routingKey(route),
      subject: subjectOf(kind, observation.labels),
      state: { phase: 'inactive' },
      frameOffsetMs: 0,
      version: 0,
      persisted: false,
      dirty: false,
      timerGeneration: 0,
      active: false,
    };
    this.states.set(key, held);
    return held;
  }

  private schedule(held: HeldState, rule: RuleDefinition): void {
    held.timerGeneration += 1;
    const dueAtMs = tickDueAtMs(rule, held.state);
    if (dueAtMs !== undefined) this.timers.push({ wallMs: dueAtMs + held.frameOffsetMs, key: held.key, generation: held.timerGeneration });
  }

  private setActive(held: HeldState, active: boolean): void {
    if (held.active === active) return;
    held.active = active;
    let rules = this.active.get(held.routing);
    const count = rules?.get(held.ruleId) ?? 0;
    if (active) {
      if (!rules) {
        rules = new Map();
        this.active.set(held.routing, rules);
      }
      rules.set(held.ruleId, count + 1);
    } else if (rules) {
      if (count <= 1) rules.delete(held.ruleId);
      else rules.set(held.ruleId, count - 1);
      if (rules.size === 0) this.active.delete(held.routing);
    }
  }

  /** Whether any enabled rule watches the event's route (its subjects' times are kept only then). */
  private watches(route: EventRoute, data: unknown): boolean {
    switch (route.family) {
      case 'm':
        return this.rules.watchesSymbol(route.key);
      case 'd':
        return this.rules.driftRules(route.key).length > 0;
      case 'r':
        return this.rules.riskRules(String((data as { metric?: unknown }).metric)).length > 0;
      case 'h':
        return this.rules.healthRules(route.key).length > 0;
      case 'f':
        return false;
    }
  }
}

/** The stored form of a held state: `{s: RuleState, o: frame offset, a: last entry id, v: version, c?: the clearing event}`. */
export function encodeHeld(held: HeldState, version: number): string {
  return JSON.stringify({ s: held.state, o: held.frameOffsetMs, a: held.lastEntryId, v: version, ...(held.clear ? { c: held.clear } : {}) });
}

/** A held state from its stored form; `undefined` when it cannot be read (logged by the caller's count). */
export function decodeHeld(key: string, json: string, partition: number): HeldState | undefined {
  const bar = key.lastIndexOf('|');
  if (bar <= 0) return undefined;
  let stored: { s: RuleState; o?: number; a?: string; v?: number; c?: AlertEvidence };
  try {
    stored = JSON.parse(json) as typeof stored;
  } catch {
    return undefined;
  }
  const labels = stored.s?.labels;
  const kind = labels?.['kind'] as RuleKind | undefined;
  if (!labels || !kind) return undefined;
  return {
    key,
    ruleId: key.slice(0, bar),
    fingerprint: key.slice(bar + 1),
    partition,
    routing: routingKey(routeOfLabels(kind, labels)),
    subject: subjectOf(kind, labels),
    state: stored.s,
    frameOffsetMs: stored.o ?? 0,
    ...(stored.a === undefined ? {} : { lastEntryId: stored.a }),
    ...(stored.c === undefined ? {} : { clear: stored.c }),
    version: stored.v ?? 1,
    persisted: true,
    dirty: false,
    timerGeneration: 0,
    active: false,
  };
}
