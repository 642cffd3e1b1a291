import { group, redisDown, redisUp, serverInfo, stream, THRESHOLDS } from '../test/fixtures';
import { evaluateHealth } from './evaluate-health';
import type { ServiceStatusReport } from './health-snapshot';

const healthyService: ServiceStatusReport = { service: 'alert-service', status: 'healthy', reason: 'ok', expected: true, instances: [] };

describe('evaluateHealth', () => {
  it('is healthy when Redis, streams and services are fine', () => {
    const result = evaluateHealth({ redis: redisUp(), streams: [stream('s', [group()])], services: [healthyService] }, THRESHOLDS, new Map());
    expect(result.status).toBe('healthy');
    expect(result.reasons).toEqual([]);
    expect(result.summary).toBe('all checks pass');
  });

  it('is down with only the Redis reason when Redis is unreachable', () => {
    const down: ServiceStatusReport = { ...healthyService, status: 'down', reason: 'stale' };
    const result = evaluateHealth({ redis: redisDown(), streams: [], services: [down] }, THRESHOLDS, new Map());
    expect(result.status).toBe('down');
    expect(result.reasons.map((r) => r.code)).toEqual(['redis_unreachable']);
    expect(result.summary).toContain('Redis unreachable: connect ECONNREFUSED');
  });

  it('reports a heartbeat reader that stopped reading as degraded, naming how long, beside the frozen services', () => {
    const result = evaluateHealth({ redis: redisUp(), streams: [], services: [healthyService], heartbeatsUnobservedMs: 4_250 }, THRESHOLDS, new Map());
    expect(result.status).toBe('degraded');
    expect(result.reasons).toEqual([expect.objectContaining({ code: 'heartbeats_unobserved', status: 'degraded', subject: 'health-monitor', message: expect.stringContaining('for 4.3 s') })]);
  });

  it('reports memory above the share of maxmemory, an evicting policy and AOF off as degraded', () => {
    const info = serverInfo({ memory: { usedBytes: 900, maxBytes: 1000, policy: 'allkeys-lru' }, persistence: { aofEnabled: false } });
    const result = evaluateHealth({ redis: redisUp(info), streams: [], services: [] }, THRESHOLDS, new Map());
    expect(result.status).toBe('degraded');
    expect(result.reasons.map((r) => r.code).sort()).toEqual(['aof_disabled', 'eviction_policy', 'memory_high']);
  });

  it('ignores AOF when it is not required', () => {
    const info = serverInfo({ persistence: { aofEnabled: false } });
    expect(evaluateHealth({ redis: redisUp(info), streams: [], services: [] }, { ...THRESHOLDS, requireAof: false }, new Map()).status).toBe('healthy');
  });

  it('reports a cluster node whose state is not ok as down', () => {
    const info = serverInfo({ cluster: { state: 'fail', slotsAssigned: 16384, slotsOk: 10000, slotsFail: 6384, knownNodes: 3, size: 3 } });
    const result = evaluateHealth({ redis: redisUp(info), streams: [], services: [] }, THRESHOLDS, new Map());
    expect(result.status).toBe('down');
    expect(result.reasons[0]?.code).toBe('cluster_state');
  });

  it('reports a failing AOF write as down, and a failed RDB save and a replica cut from its master as degraded', () => {
    const info = serverInfo({
      persistence: { aofLastWriteStatus: 'err', rdbLastBgsaveStatus: 'err' },
      replication: { role: 'slave', masterHost: '10.0.0.1', masterPort: '6379', masterLinkUp: false },
    });
    const result = evaluateHealth({ redis: redisUp(info), streams: [], services: [] }, THRESHOLDS, new Map());
    expect(result.status).toBe('down');
    expect(result.reasons.map((r) => [r.code, r.status])).toEqual([['aof_write_failed', 'down'], ['rdb_bgsave_failed', 'degraded'], ['replication_link_down', 'degraded']]);
    expect(result.reasons[2]?.message).toContain('10.0.0.1:6379');
  });

  it('reports one unreachable node of several as down with its address, and an unreadable stream as degraded', () => {
    const redis = redisUp();
    redis.nodes.push({ address: '10.0.0.2:7002', reachable: false, error: 'connect ETIMEDOUT' });
    const streams = [stream('s', [], { error: 's: WRONGTYPE Operation against a key holding the wrong kind of value' })];
    const result = evaluateHealth({ redis, streams, services: [] }, THRESHOLDS, new Map());
    expect(result.status).toBe('down');
    expect(result.reasons.map((r) => [r.code, r.subject])).toEqual([['redis_node_unreachable', '10.0.0.2:7002'], ['stream_error', 's']]);
    expect(result.summary).toContain('Redis node 10.0.0.2:7002 unreachable: connect ETIMEDOUT');
  });

  it('reports a group whose lag is above the threshold, and not one at it', () => {
    const streams = [stream('s', [group({ name: 'behind', lag: 101 }), group({ name: 'at', lag: 100 })])];
    const result = evaluateHealth({ redis: redisUp(), streams, services: [] }, THRESHOLDS, new Map());
    expect(result.reasons.map((r) => r.subject)).toEqual(['s/behind']);
    expect(result.reasons[0]?.message).toContain('101 entries behind (threshold 100)');
  });

  it('reports pending growing only after it grew at the configured number of checks in a row', () => {
    let history = new Map<string, number[]>();
    const statuses: string[] = [];
    for (const pending of [1, 2, 3, 4, 4, 5]) {
      const result = evaluateHealth({ redis: redisUp(), streams: [stream('s', [group({ pending })])], services: [] }, THRESHOLDS, history);
      history = result.pendingHistory;
      statuses.push(result.status);
    }
    expect(statuses).toEqual(['healthy', 'healthy', 'healthy', 'degraded', 'healthy', 'healthy']);
  });

  it('takes the worst service status and lists the worst reasons first', () => {
    const services: ServiceStatusReport[] = [
      { ...healthyService, service: 'a', status: 'degraded', reason: 'a: 1 of 2 up' },
      { ...healthyService, service: 'b', status: 'down', reason: 'b: expected, but no instance has ever sent a heartbeat' },
    ];
    const result = evaluateHealth({ redis: redisUp(), streams: [], services }, THRESHOLDS, new Map());
    expect(result.status).toBe('down');
    expect(result.reasons.map((r) => [r.subject, r.code])).toEqual([['b', 'service_missing'], ['a', 'service_degraded']]);
  });
});
