import { createRedisConnection, decodeEntry, parseRedisConfig, type CloudEvent, type RedisConnection } from '@rebal/redis-client';
import type { RedisTestServer } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import type { AlertRecord } from '../../alerts';
import { alertFingerprint, type RuleKind, type Severity, type Transition } from '../../rules';
import { AlertStore } from '../alert-store';
import type { AlertStoreOptions } from '../alert-store-options';
import type { RuleTransition } from '../alert-from-transition';

let sequence = 0;

/** `value`, or a thrown error when it is missing: a test's way to say "this must exist". */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}, got ${String(value)}`);
  return value;
}

/** A name no other test (or earlier run against the same server) uses. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

/** Opens command connections to a test server through the library factory and closes them all at the end. */
export class Connections {
  private readonly open: RedisConnection[] = [];

  /** A new connection as a service would have one. */
  connect(server: RedisTestServer, name = 'test'): RedisConnection {
    const connection = createRedisConnection(parseRedisConfig(server.env).main, { name });
    this.open.push(connection);
    return connection;
  }

  /** Quits every connection still open (disconnects those that cannot quit). */
  async closeAll(): Promise<void> {
    // A second disconnect() of an ended connection arms a 2 s timer that nothing clears.
    const open = this.open.splice(0).filter((connection) => connection.status !== 'end');
    await Promise.all(open.map((connection) => connection.quit().catch(() => connection.disconnect())));
  }
}

/** A clock a test moves by hand. */
export class ManualClock {
  constructor(public nowMs: number) {}

  /** The current time (bind-free, pass as `clock`). */
  readonly now = (): number => this.nowMs;

  /** Moves time forward. */
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** A store on a fresh alerts stream key, with its own registry. */
export function newStore(redis: RedisConnection, options: Partial<AlertStoreOptions> = {}): AlertStore {
  return new AlertStore({ redis, alertsStream: unique('alerts'), registry: new Registry(), ...options });
}

/** Every event on a stream, decoded and validated against the library's schemas. */
export async function readStream(redis: RedisConnection, stream: string): Promise<Array<{ streamId: string; event: CloudEvent }>> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([streamId, fields]) => {
    const decoded = decodeEntry(fields);
    if (!decoded.ok) throw new Error(`invalid alerts stream entry ${streamId}: ${decoded.reason}`);
    return { streamId, event: decoded.event };
  });
}

/** The `data` of an alert event. */
export interface AlertEventPayload {
  alert: AlertRecord;
  actor: string;
  notify: boolean;
  suppressedBy?: string;
}

/** What a test transition needs. */
export interface TransitionSpec {
  kind?: RuleKind;
  ruleId?: string;
  transition: Transition['kind'];
  severity?: Severity;
  previousSeverity?: Severity;
  labels?: Record<string, string>;
  value?: number;
  atMs: number;
}

/** A rule-engine transition built by hand (labels default to `{rule, kind, symbol: BTC}`). */
export function transitionOf(spec: TransitionSpec): RuleTransition {
  const kind = spec.kind ?? 'price_threshold';
  const ruleId = spec.ruleId ?? 'btc-above';
  const labels = spec.labels ?? { rule: ruleId, kind, symbol: 'BTC' };
  const transition: Transition = {
    kind: spec.transition,
    ruleId,
    severity: spec.severity ?? 'S1',
    value: spec.value ?? 100,
    threshold: 100,
    labels,
    fingerprint: alertFingerprint(labels),
    annotations: { summary: `${ruleId} ${spec.transition}` },
    atMs: spec.atMs,
  };
  if (spec.previousSeverity) transition.previousSeverity = spec.previousSeverity;
  return { kind, transition };
}

/** Commits transitions as one evaluation without rule states and without fencing; throws unless committed. */
export async function commit(store: AlertStore, transitions: RuleTransition[]) {
  const result = await store.applyEvaluation({ states: [], transitions });
  if (result.status !== 'committed') throw new Error(`expected a commit, got ${result.status}`);
  return result.changes;
}
