import type { DoctorCheck } from './doctor-report';
import type { DoctorThresholds } from './doctor-thresholds';
import { formatBytes } from './format-bytes';
import type { ServerSettings } from './read-server-settings';

type Check = Omit<DoctorCheck, 'node'>;

const MIN_MAJOR = 7;
const MIN_MINOR = 0;

function unreadable(settings: ServerSettings, what: string): string {
  const reasons = [
    settings.configError && `CONFIG: ${settings.configError}`,
    settings.infoError && `INFO: ${settings.infoError}`,
  ].filter(Boolean);
  return `${what} could not be read${reasons.length ? ` (${reasons.join('; ')})` : ''}`;
}

/** How to change a setting: with CONFIG where it works, in the provider's console where it does not. */
function configFix(settings: ServerSettings, set: string, conf: string, managed: string): string {
  if (settings.configError) {
    return `CONFIG is not available on this server (managed Redis?): ${managed} in your provider's settings.`;
  }
  return [
    `redis-cli CONFIG SET ${set}`,
    'redis-cli CONFIG REWRITE   # keeps it in redis.conf across restarts',
    `or in redis.conf: ${conf}, then restart Redis`,
  ].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function latencyCheck(s: ServerSettings, t: DoctorThresholds): Check {
  const base = { id: 'connection.latency', title: 'Round-trip latency' };
  if (s.latencyError || s.latencySamplesMs.length === 0) {
    return { ...base, status: 'warn', detail: `could not be measured: ${s.latencyError ?? 'no sample'}` };
  }
  const ms = median(s.latencySamplesMs);
  const detail = `median ${ms.toFixed(2)} ms over ${s.latencySamplesMs.length} PINGs`;
  if (ms <= t.latencyWarnMs) return { ...base, status: 'ok', detail };
  return {
    ...base,
    status: 'warn',
    detail: `${detail}, above ${t.latencyWarnMs} ms: every event and alert pays it`,
    fix: 'Run the services close to Redis (same host, zone or network); check the host load and slow commands with `redis-cli --latency` and `redis-cli SLOWLOG GET 10`.',
  };
}

function versionCheck(s: ServerSettings): Check {
  const base = { id: 'server.version', title: 'Redis version (7.0 or later)' };
  if (!s.version) {
    return {
      ...base,
      status: 'warn',
      detail: unreadable(s, 'redis_version'),
      fix: 'Check it with `redis-cli INFO server`: Rebal Realtime needs Redis 7.0 or later.',
    };
  }
  const [major = 0, minor = 0] = s.version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  if (major > MIN_MAJOR || (major === MIN_MAJOR && minor >= MIN_MINOR)) {
    return { ...base, status: 'ok', detail: `Redis ${s.version}` };
  }
  return {
    ...base,
    status: 'fail',
    detail: `Redis ${s.version} is older than 7.0: consumer-group lag (XINFO GROUPS) and the XAUTOCLAIM reply the consumers rely on need 7.0`,
    fix: 'Upgrade to Redis 7.0 or later (packages.redis.io, `brew install redis`, or the `redis:7` image).',
  };
}

function appendonlyCheck(s: ServerSettings): Check {
  const base = { id: 'persistence.appendonly', title: 'AOF persistence (appendonly)' };
  if (s.appendonly === undefined) {
    return {
      ...base,
      status: 'warn',
      detail: unreadable(s, 'appendonly'),
      fix: 'Make sure AOF persistence is on (`redis-cli CONFIG GET appendonly` must say yes, or your provider shows AOF enabled).',
    };
  }
  if (s.appendonly !== 'yes') {
    return {
      ...base,
      status: 'fail',
      detail: `appendonly is ${s.appendonly}: alerts and streams would be lost on restart`,
      fix: configFix(s, 'appendonly yes', 'appendonly yes and appendfsync everysec', 'turn on AOF persistence (fsync every second)'),
    };
  }
  if (s.aofLastWriteStatus && s.aofLastWriteStatus !== 'ok') {
    return {
      ...base,
      status: 'fail',
      detail: `appendonly is yes but the last AOF write failed (aof_last_write_status:${s.aofLastWriteStatus}): Redis refuses writes until it can write again`,
      fix: 'Check free space and permissions of the data directory (`redis-cli CONFIG GET dir`) and the Redis log.',
    };
  }
  return { ...base, status: 'ok', detail: 'appendonly yes: alerts and streams survive a restart' };
}

function appendfsyncCheck(s: ServerSettings): Check {
  const base = { id: 'persistence.appendfsync', title: 'AOF fsync policy (appendfsync)' };
  if (s.appendfsync === undefined) {
    return {
      ...base,
      status: 'warn',
      detail: unreadable(s, 'appendfsync'),
      fix: 'Make sure AOF is fsynced every second (appendfsync everysec), e.g. in your provider\'s persistence settings.',
    };
  }
  if (s.appendfsync === 'no') {
    return {
      ...base,
      status: 'fail',
      detail: 'appendfsync is no: flushing is left to the OS, a crash of the host can lose the last ~30 s of alerts and events (everysec is required)',
      fix: configFix(s, 'appendfsync everysec', 'appendfsync everysec', 'set AOF fsync to every second'),
    };
  }
  const detail =
    s.appendfsync === 'always'
      ? 'appendfsync always: nothing is lost on a crash (writes are slower)'
      : `appendfsync ${s.appendfsync}: at most about 1 s of writes is lost on a crash`;
  return { ...base, status: 'ok', detail };
}

function policyCheck(s: ServerSettings): Check {
  const base = { id: 'memory.policy', title: 'Eviction policy (maxmemory-policy)' };
  const fix = [
    configFix(s, 'maxmemory-policy noeviction', 'maxmemory-policy noeviction', 'set the eviction policy to noeviction'),
    'A cache that should evict belongs on its own Redis: point CACHE_REDIS_URL at it (allkeys-lru is fine there).',
  ].join('\n');
  const policy = s.maxmemoryPolicy;
  if (policy === undefined) {
    return { ...base, status: 'warn', detail: unreadable(s, 'maxmemory-policy'), fix };
  }
  if (policy === 'noeviction') {
    return { ...base, status: 'ok', detail: 'noeviction: when memory is full Redis refuses writes instead of deleting data' };
  }
  if (policy.startsWith('allkeys-')) {
    return {
      ...base,
      status: 'fail',
      detail: `maxmemory-policy is ${policy}: ${policy} evicts alerts and streams (any key, BullMQ jobs too) as soon as memory is full`,
      fix,
    };
  }
  if (policy.startsWith('volatile-')) {
    return {
      ...base,
      status: 'warn',
      detail: `maxmemory-policy is ${policy}: it evicts keys that carry a TTL (cache entries, gateway sessions) when memory is full, and durable data shares memory with a cache`,
      fix,
    };
  }
  return { ...base, status: 'warn', detail: `maxmemory-policy is ${policy}, not noeviction`, fix };
}

function maxmemoryCheck(s: ServerSettings): Check {
  const base = { id: 'memory.maxmemory', title: 'Memory limit (maxmemory)' };
  if (s.maxmemory === undefined) {
    return { ...base, status: 'warn', detail: unreadable(s, 'maxmemory') };
  }
  if (s.maxmemory === 0) {
    // A warning, not a failure: the doctor cannot tell a production host from a laptop, and
    // the local stacks (npm start, docker compose) run without a limit on purpose. Production
    // must set one (operations.md 1.1 and 1.2).
    return {
      ...base,
      status: 'warn',
      detail: 'maxmemory is 0 (no limit): Redis grows until the host runs out of memory and the OS kills it; production must set one',
      fix: configFix(
        s,
        'maxmemory 1gb   # below the memory the host or container gives Redis',
        'maxmemory 1gb',
        'set a memory limit',
      ),
    };
  }
  return { ...base, status: 'ok', detail: `maxmemory ${formatBytes(s.maxmemory)}` };
}

function usageCheck(s: ServerSettings, t: DoctorThresholds): Check {
  const base = { id: 'memory.usage', title: 'Memory in use' };
  if (s.usedMemory === undefined) {
    return { ...base, status: 'warn', detail: unreadable(s, 'used_memory') };
  }
  const used = formatBytes(s.usedMemory);
  if (!s.maxmemory) return { ...base, status: 'ok', detail: `${used} in use (no maxmemory to compare with)` };
  const ratio = s.usedMemory / s.maxmemory;
  const detail = `${used} of ${formatBytes(s.maxmemory)} in use (${Math.round(ratio * 100)} %)`;
  const fix =
    'Raise maxmemory (`redis-cli CONFIG SET maxmemory <size>`), check that producers trim their streams (XADD ... MAXLEN ~ N) and find big keys with `redis-cli --bigkeys` and `redis-cli MEMORY STATS`.';
  if (ratio > t.memoryFailRatio) {
    return { ...base, status: 'fail', detail: `${detail}: with noeviction, writes fail once it is full`, fix };
  }
  if (ratio > t.memoryWarnRatio) return { ...base, status: 'warn', detail, fix };
  return { ...base, status: 'ok', detail };
}

/**
 * Turns what was read from one server into checks: latency, version ≥ 7.0, AOF on with a sane
 * fsync, `noeviction`, a memory limit and its use. Pure, so every verdict is unit-testable.
 * With `node` (`host:port` of a Cluster master), each id gets `@<node>`, the check carries the
 * node and the `redis-cli` commands of its fix target that node.
 */
export function judgeServerSettings(settings: ServerSettings, thresholds: DoctorThresholds, node?: string): DoctorCheck[] {
  const checks = [
    latencyCheck(settings, thresholds),
    versionCheck(settings),
    appendonlyCheck(settings),
    appendfsyncCheck(settings),
    policyCheck(settings),
    maxmemoryCheck(settings),
    usageCheck(settings, thresholds),
  ];
  if (!node) return checks;
  // Point every redis-cli command of a fix at that node.
  const colon = node.lastIndexOf(':');
  const cli = `redis-cli -h ${node.slice(0, colon)} -p ${node.slice(colon + 1)}`;
  return checks.map((check) => ({
    ...check,
    id: `${check.id}@${node}`,
    node,
    ...(check.fix && { fix: check.fix.replace(/redis-cli(?= )/g, cli) }),
  }));
}
