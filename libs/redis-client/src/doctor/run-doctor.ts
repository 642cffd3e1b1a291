import { Cluster, type Redis } from 'ioredis';
import type { RedisConnection } from '../connection/redis-connection';
import { STREAM_NAMES, streamKey } from '../events/streams';
import { connectionTroubleshooting } from './connection-troubleshooting';
import { DoctorOptionsError } from './doctor-errors';
import type { DoctorCheck, DoctorReport, DoctorStreamReport } from './doctor-report';
import { DEFAULT_DOCTOR_THRESHOLDS, type DoctorThresholds } from './doctor-thresholds';
import { inspectStream } from './inspect-stream';
import { judgeServerSettings } from './judge-server-settings';
import { judgeStreams } from './judge-streams';
import { errorMessage } from '../replies/parse-redis-reply';
import { readServerSettings } from './read-server-settings';
import { withDeadline, type Deadline } from './with-deadline';

/** Options for {@link runDoctor}. */
export interface RunDoctorOptions {
  /** The Redis to check (single server, Sentinel or Cluster). It is not closed by the doctor. */
  redis: RedisConnection;
  /** Prefix of every stream key, as `REDIS_STREAM_PREFIX` (default `''`). */
  streamPrefix?: string;
  /** Streams to inspect, without the prefix (default: every platform stream, `STREAM_NAMES`). */
  streams?: string[];
  /** Upper bound of the whole run in ms; a command past it is reported as not answering (default 10 000). */
  timeoutMs?: number;
  /** What to print as the target (default: host:port, Sentinel or Cluster nodes of the connection; never a password). */
  target?: string;
  /** Warning and failure limits (default {@link DEFAULT_DOCTOR_THRESHOLDS}). */
  thresholds?: Partial<DoctorThresholds>;
  /** PINGs timed per server for the latency check (default 5). */
  pingSamples?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function nodeLabel(node: Redis): string {
  return `${node.options.host ?? 'localhost'}:${node.options.port ?? 6379}`;
}

/** Where a connection points, without credentials. */
function describeTarget(redis: RedisConnection): string {
  if (redis instanceof Cluster) {
    const nodes = redis.nodes('master').map(nodeLabel);
    return nodes.length ? `cluster ${nodes.join(',')}` : 'cluster';
  }
  const { sentinels, name, tls, db, path } = redis.options;
  if (sentinels?.length) {
    return `sentinel ${name ?? 'mymaster'} via ${sentinels.map((s) => `${s.host ?? 'localhost'}:${s.port ?? 26379}`).join(',')}`;
  }
  if (path) return `unix:${path}`;
  return `${tls ? 'rediss' : 'redis'}://${nodeLabel(redis)}/${db ?? 0}`;
}

function checkOptions(options: RunDoctorOptions): { timeoutMs: number; thresholds: DoctorThresholds; pingSamples: number } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new DoctorOptionsError('timeoutMs', 'must be a positive number');
  const pingSamples = options.pingSamples ?? 5;
  if (!Number.isInteger(pingSamples) || pingSamples < 1) throw new DoctorOptionsError('pingSamples', 'must be an integer ≥ 1');
  const thresholds = { ...DEFAULT_DOCTOR_THRESHOLDS, ...options.thresholds };
  for (const [name, value] of Object.entries(thresholds)) {
    if (!Number.isFinite(value) || value < 0) throw new DoctorOptionsError(`thresholds.${name}`, 'must be a number ≥ 0');
  }
  if (!options.redis) throw new DoctorOptionsError('redis', 'is required');
  return { timeoutMs, thresholds, pingSamples };
}

/** PINGs once; a failure is the `connection.ping` check that stops the run. */
async function pingCheck(redis: RedisConnection | Redis, deadline: Deadline, target: string, node?: string): Promise<DoctorCheck> {
  const base = { id: node ? `connection.ping@${node}` : 'connection.ping', title: 'Redis answers PING', ...(node && { node }) };
  const started = process.hrtime.bigint();
  try {
    const pong = await deadline.within(redis.ping(), 'PING');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ...base, status: 'ok', detail: `${pong} in ${ms.toFixed(1)} ms` };
  } catch (error) {
    const message = errorMessage(error);
    return { ...base, status: 'fail', detail: `no answer: ${message}`, fix: connectionTroubleshooting(node ?? target, message) };
  }
}

/**
 * Checks that a Redis is fit for Rebal Realtime (shared/DESIGN.md "What Redis must be"): it
 * answers quickly, runs 7.0+, persists with AOF, never evicts, has memory to spare, and shows
 * every platform stream with its groups, pending entries, lag and dead-letter size. Each
 * problem comes with its fix. On a Cluster the server checks run on every master. Never throws
 * for what it finds (only for invalid options) and never takes longer than `timeoutMs`.
 */
export async function runDoctor(options: RunDoctorOptions): Promise<DoctorReport> {
  const { timeoutMs, thresholds, pingSamples } = checkOptions(options);
  const { redis } = options;
  const started = Date.now();
  const deadline = withDeadline(timeoutMs);
  const prefix = options.streamPrefix ?? '';
  const checks: DoctorCheck[] = [];
  const streams: DoctorStreamReport[] = [];
  const report = (reachable: boolean): DoctorReport => ({
    ok: !checks.some((check) => check.status === 'fail'),
    reachable,
    checks,
    target: options.target ?? describeTarget(redis),
    durationMs: Date.now() - started,
    streams,
  });

  const ping = await pingCheck(redis, deadline, options.target ?? describeTarget(redis));
  checks.push(ping);
  if (ping.status === 'fail') return report(false);

  const cluster = redis instanceof Cluster;
  for (const node of cluster ? redis.nodes('master') : [redis]) {
    const label = cluster ? nodeLabel(node) : undefined;
    if (label) {
      const nodePing = await pingCheck(node, deadline, label, label);
      if (nodePing.status === 'fail') {
        checks.push(nodePing);
        continue;
      }
    }
    const settings = await readServerSettings(node, { deadline, pingSamples });
    checks.push(...judgeServerSettings(settings, thresholds, label));
  }

  for (const name of options.streams ?? STREAM_NAMES) {
    streams.push(await inspectStream(redis, streamKey(name, prefix), deadline));
  }
  checks.push(...judgeStreams(streams, thresholds, prefix));
  return report(true);
}
