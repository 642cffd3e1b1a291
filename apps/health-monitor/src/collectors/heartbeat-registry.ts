import { join } from 'node:path';
import { LuaScript, type HeartbeatData, type RedisConnection } from '@rebal/redis-client';
import type { InstanceRecord } from './instance-record';

const RECORD = new LuaScript(join(__dirname, 'record-heartbeat.lua'));
const FORGET = new LuaScript(join(__dirname, 'forget-instance.lua'));

/** Options of {@link HeartbeatRegistry}. */
export interface HeartbeatRegistryOptions {
  /** Command connection (not owned). */
  redis: RedisConnection;
  /** The registry hash key, e.g. `<prefix>health-monitor:instances`. */
  key: string;
  /** TTL of the hash in ms, renewed by every heartbeat: it vanishes when nothing beats for this long. */
  ttlMs: number;
}

function field(service: string, instance: string): string {
  return JSON.stringify([service, instance]);
}

function isRecord(value: unknown): value is InstanceRecord {
  const v = value as Partial<InstanceRecord> | null;
  return typeof v === 'object' && v !== null && typeof v.service === 'string' && typeof v.instance === 'string' && typeof v.lastSeenMs === 'number';
}

/**
 * The latest heartbeat of every service instance, in one Redis hash shared by all monitor
 * replicas. Replicas share the `health-monitor` group, so each receives only some heartbeats;
 * each records what it receives here and every replica reads the whole picture back with one
 * HGETALL per check. Writes keep the newest heartbeat per instance (see record-heartbeat.lua).
 */
export class HeartbeatRegistry {
  private readonly redis: RedisConnection;
  private readonly key: string;
  private readonly ttlMs: number;

  constructor(options: HeartbeatRegistryOptions) {
    if (!options.redis) throw new TypeError('HeartbeatRegistry: redis is required');
    if (!options.key) throw new TypeError('HeartbeatRegistry: key is required');
    if (!Number.isInteger(options.ttlMs) || options.ttlMs < 1) throw new RangeError(`HeartbeatRegistry: ttlMs must be a positive integer, got ${options.ttlMs}`);
    this.redis = options.redis;
    this.key = options.key;
    this.ttlMs = options.ttlMs;
  }

  /** Stores `heartbeat` seen at `lastSeenMs` unless a newer one is stored; resolves true when stored. */
  async record(heartbeat: HeartbeatData, lastSeenMs: number): Promise<boolean> {
    const record: InstanceRecord = {
      service: heartbeat.service,
      instance: heartbeat.instance,
      version: heartbeat.version,
      startedAt: heartbeat.startedAt,
      uptimeSeconds: heartbeat.uptimeSeconds,
      status: heartbeat.status,
      ...(heartbeat.details && { details: heartbeat.details }),
      lastSeenMs,
    };
    const reply = await RECORD.run(this.redis, [this.key], [field(heartbeat.service, heartbeat.instance), lastSeenMs, JSON.stringify(record), this.ttlMs]);
    return Number(reply) === 1;
  }

  /** Every recorded instance (unreadable fields are skipped). */
  async readAll(): Promise<InstanceRecord[]> {
    const hash = await this.redis.hgetall(this.key);
    const records: InstanceRecord[] = [];
    for (const json of Object.values(hash)) {
      try {
        const value: unknown = JSON.parse(json);
        if (isRecord(value)) records.push(value);
      } catch {
        // Not ours or damaged: ignored rather than failing the check.
      }
    }
    return records;
  }

  /** Removes an instance if its record is still the one seen at `lastSeenMs`; resolves true when removed. */
  async forget(record: Pick<InstanceRecord, 'service' | 'instance' | 'lastSeenMs'>): Promise<boolean> {
    const reply = await FORGET.run(this.redis, [this.key], [field(record.service, record.instance), record.lastSeenMs]);
    return Number(reply) === 1;
  }
}
