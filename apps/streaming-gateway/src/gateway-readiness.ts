/**
 * How long this replica's stream readers may stay down after Redis came back before the replica
 * counts as unable to serve: they restart with backoff (up to 10 s), so every replica may be
 * without readers for a few seconds after an outage, and readiness must not drop them all then.
 */
export const READER_RECOVERY_GRACE_MS = 30_000;

/** What {@link isGatewayReady} decides from. */
export interface GatewayReadinessFacts {
  /** `close()` was called. */
  readonly closing: boolean;
  /** `start()` finished: listening, and the fan-out's first set-up attempt made. */
  readonly started: boolean;
  /** Its stream readers have run at least once since start: it has served, and will again once Redis is back. */
  readonly readersRan: boolean;
  /** The command connection to Redis is ready. */
  readonly redisReady: boolean;
  /** Every stream reader runs and its last read succeeded. */
  readonly reading: boolean;
  /** How long Redis has been ready without a break, ms (0 while it is not). */
  readonly redisReadyForMs: number;
}

/**
 * Whether a gateway replica should receive new clients (`/readyz`): whether it can serve them
 * as well as any other replica could. A Redis outage hits every replica alike, so it does not
 * make one unready: the replica keeps its connections, welcomes new ones (their sessions are
 * recorded once Redis is back), answers subscriptions with `unavailable` and replays once Redis is
 * back, where unready replicas would leave new clients with the Ingress's 503.
 *
 * | closing | started | Redis            | readers | ready |
 * |---------|---------|------------------|---------|-------|
 * | yes     |         |                  |         | no: the endpoint goes before the sockets close |
 * | no      | no      |                  |         | no: not set up yet |
 * | no      | yes     | never reached    | never ran | no: it can serve nothing (a wrong password, or started during an outage) |
 * | no      | yes     | down             | ran once | yes: every replica is in the same outage |
 * | no      | yes     | up               | running | yes |
 * | no      | yes     | up for < grace   | down    | yes: readers restart with backoff after an outage |
 * | no      | yes     | up for ≥ grace   | down    | no: this replica's readers are stuck, others serve |
 */
export function isGatewayReady(facts: GatewayReadinessFacts): boolean {
  if (facts.closing || !facts.started) return false;
  if (facts.reading) return true;
  if (!facts.readersRan) return false;
  if (!facts.redisReady) return true;
  return facts.redisReadyForMs < READER_RECOVERY_GRACE_MS;
}
