import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { counter, gauge, LuaScript, silentLogger, type Logger, type RedisConnection } from '@rebal/redis-client';
import type { Counter, Gauge, Registry } from 'prom-client';
import { LeaseLostError, type LeaseCheck } from './lease-lost-error';

const RENEW = new LuaScript(join(__dirname, 'renew-lease.lua'));
const RELEASE = new LuaScript(join(__dirname, 'release-lease.lua'));

/** Options of {@link RedisLease}. */
export interface RedisLeaseOptions {
  /** Command connection (not owned). */
  redis: RedisConnection;
  /** The lease key, e.g. `<prefix>health-monitor:lease`. */
  key: string;
  /** Who asks (the instance id); the stored token is this plus a random suffix. */
  owner: string;
  /** Lifetime in ms; renew well before it ends (every third of it). */
  ttlMs: number;
  /** Logger for gaining and losing the lease (default: silent). */
  logger?: Logger;
  /** prom-client registry for `rebal_health_leader` and `rebal_health_lease_failures_total` (default: the global registry). */
  registry?: Registry;
  /**
   * Clock in ms for the lease's lifetime (default: the monotonic `performance.now`, so a step of
   * the wall clock never stretches the lease past its key's life in Redis); tests set one.
   */
  now?: () => number;
}

/**
 * A lease in Redis that at most one replica holds: taken with `SET key token NX PX ttl`,
 * renewed with a compare-and-set script, released with a compare-and-delete script. The
 * holder counts the lease from the moment it SENT the command, on its monotonic clock, so its
 * own view expires no later than Redis's key. A failed or refused renewal loses the lease at once; so does Redis
 * being unreachable (nobody holds it then, and nobody needs to).
 *
 * Holding it at the start of a duty is not enough: a process that stalls (GC, a blocked event
 * loop, a slow Redis) can outlive its lease while another replica takes over. A duty calls
 * {@link RedisLease.assertHeld} before every write, and that refuses once less than a third of
 * the lifetime is left (one renewal period: a healthy holder always has more), so a write sent
 * reaches Redis before the key could expire there. The lease key lives in another hash slot
 * than the streams and hashes the duties write, so the writes cannot check the token in the
 * same script in a Cluster; the duties' own scripts re-check what they act on instead.
 */
export class RedisLease implements LeaseCheck {
  private readonly redis: RedisConnection;
  private readonly key: string;
  private readonly token: string;
  private readonly ttlMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly leader: Gauge;
  private readonly failures: Counter;
  private validUntil = 0;
  private holding = false;
  private released = false;
  private terms = 0;

  constructor(options: RedisLeaseOptions) {
    if (!options.redis) throw new TypeError('RedisLease: redis is required');
    if (!options.key || !options.owner) throw new TypeError('RedisLease: key and owner are required');
    if (!Number.isInteger(options.ttlMs) || options.ttlMs < 3) throw new RangeError(`RedisLease: ttlMs must be an integer of at least 3, got ${options.ttlMs}`);
    this.redis = options.redis;
    this.key = options.key;
    this.token = `${options.owner}:${randomUUID()}`;
    this.ttlMs = options.ttlMs;
    this.logger = options.logger ?? silentLogger();
    this.now = options.now ?? (() => performance.now());
    this.leader = gauge({ name: 'rebal_health_leader', help: '1 while this replica holds the housekeeping lease', registry: options.registry });
    this.failures = counter({ name: 'rebal_health_lease_failures_total', help: 'Lease acquisitions or renewals that failed because Redis failed', registry: options.registry });
    this.leader.set(0);
  }

  /** True while this replica holds the lease (and its lifetime has not run out locally). */
  get held(): boolean {
    return this.holding && this.now() < this.validUntil;
  }

  /**
   * Throws {@link LeaseLostError} unless the lease is held with at least a third of its
   * lifetime left (counted on this process's clock from when the last renewal was sent). Call
   * it right before every write of a lease-holder-only duty.
   */
  assertHeld(): void {
    if (!this.holding || this.validUntil - this.now() < this.ttlMs / 3) throw new LeaseLostError(this.key);
  }

  /** Counts the times this replica acquired the lease: a new value means another replica may have held it in between. */
  get term(): number {
    return this.terms;
  }

  /** The lease key. */
  get leaseKey(): string {
    return this.key;
  }

  /**
   * Renews the lease when held, tries to take it otherwise. Resolves with whether it is held
   * afterwards; never rejects (a Redis failure counts as not held, and is counted).
   */
  async refresh(): Promise<boolean> {
    if (this.released) return false;
    const sentAt = this.now();
    try {
      let ok: boolean;
      if (this.holding) {
        ok = Number(await RENEW.run(this.redis, [this.key], [this.token, this.ttlMs])) === 1;
      } else {
        ok = (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
      }
      this.update(ok, sentAt, ok ? undefined : 'held by another replica');
    } catch (error) {
      this.failures.inc();
      this.update(false, sentAt, error instanceof Error ? error.message : String(error));
    }
    return this.held;
  }

  /** Gives the lease up if held (compare-and-delete); later `refresh` calls do nothing. Idempotent, never rejects. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const wasHolding = this.holding;
    this.update(false, 0);
    if (!wasHolding) return;
    try {
      await RELEASE.run(this.redis, [this.key], [this.token]);
      this.logger.info({ key: this.key }, 'released the housekeeping lease');
    } catch (error) {
      this.logger.warn({ err: error, key: this.key }, 'releasing the housekeeping lease failed; it expires on its own');
    }
  }

  private update(ok: boolean, sentAt: number, why?: string): void {
    const was = this.holding;
    this.holding = ok;
    this.validUntil = ok ? sentAt + this.ttlMs : 0;
    this.leader.set(ok ? 1 : 0);
    if (ok && !was) this.terms++;
    if (ok && !was) this.logger.info({ key: this.key, ttlMs: this.ttlMs }, 'acquired the housekeeping lease: this replica reaps and announces status changes');
    if (!ok && was && !this.released) this.logger.warn({ key: this.key, reason: why }, 'lost the housekeeping lease');
  }
}
