import { DEFAULT_DOCTOR_THRESHOLDS } from './doctor-thresholds';
import { judgeServerSettings } from './judge-server-settings';
import type { ServerSettings } from './read-server-settings';

const healthy: ServerSettings = {
  version: '7.0.15',
  appendonly: 'yes',
  appendfsync: 'everysec',
  aofLastWriteStatus: 'ok',
  maxmemory: 1024 ** 3,
  maxmemoryPolicy: 'noeviction',
  usedMemory: 100 * 1024 ** 2,
  latencySamplesMs: [0.2, 0.3, 0.25, 0.4, 0.3],
};

function judge(overrides: Partial<ServerSettings>, node?: string) {
  const checks = judgeServerSettings({ ...healthy, ...overrides }, DEFAULT_DOCTOR_THRESHOLDS, node);
  return (id: string) => {
    const check = checks.find((c) => c.id === (node ? `${id}@${node}` : id));
    if (!check) throw new Error(`no check ${id} in ${checks.map((c) => c.id).join(', ')}`);
    return check;
  };
}

describe('judgeServerSettings', () => {
  it('passes every check of a server configured as the design asks', () => {
    const checks = judgeServerSettings(healthy, DEFAULT_DOCTOR_THRESHOLDS);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['connection.latency', 'ok'],
      ['server.version', 'ok'],
      ['persistence.appendonly', 'ok'],
      ['persistence.appendfsync', 'ok'],
      ['memory.policy', 'ok'],
      ['memory.maxmemory', 'ok'],
      ['memory.usage', 'ok'],
    ]);
    expect(checks.every((c) => c.fix === undefined)).toBe(true);
  });

  it('warns when the median PING is above the threshold', () => {
    const check = judge({ latencySamplesMs: [1, 9, 8, 12, 2] })('connection.latency');
    expect(check.status).toBe('warn');
    expect(check.detail).toContain('median 8.00 ms');
  });

  it('fails a server older than 7.0 and accepts newer majors', () => {
    expect(judge({ version: '6.2.14' })('server.version').status).toBe('fail');
    expect(judge({ version: '7.2.4' })('server.version').status).toBe('ok');
    expect(judge({ version: '8.0.0' })('server.version').status).toBe('ok');
  });

  it('fails appendonly no with the CONFIG SET and redis.conf fix', () => {
    const check = judge({ appendonly: 'no' })('persistence.appendonly');
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('alerts and streams would be lost on restart');
    expect(check.fix).toContain('redis-cli CONFIG SET appendonly yes');
    expect(check.fix).toContain('redis-cli CONFIG REWRITE');
    expect(check.fix).toContain('appendfsync everysec');
  });

  it('fails when AOF is on but its last write failed', () => {
    expect(judge({ aofLastWriteStatus: 'err' })('persistence.appendonly').status).toBe('fail');
  });

  // Issue 11, suspected item: operations.md 1.1 requires everysec; `no` was only a warning.
  it('issue 11 (doctor): fails when appendfsync is no, as operations.md 1.1 requires everysec', () => {
    const check = judge({ appendfsync: 'no' })('persistence.appendfsync');
    expect(check.status).toBe('fail');
    expect(check.fix).toContain('CONFIG SET appendfsync everysec');
  });

  it('fails every allkeys policy, saying it evicts alerts and streams, and points the cache at CACHE_REDIS_URL', () => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu', 'allkeys-random']) {
      const check = judge({ maxmemoryPolicy: policy })('memory.policy');
      expect(check.status).toBe('fail');
      expect(check.detail).toContain(`${policy} evicts alerts and streams`);
      expect(check.fix).toContain('CONFIG SET maxmemory-policy noeviction');
      expect(check.fix).toContain('CACHE_REDIS_URL');
    }
  });

  it('warns for volatile policies', () => {
    expect(judge({ maxmemoryPolicy: 'volatile-lru' })('memory.policy').status).toBe('warn');
    expect(judge({ maxmemoryPolicy: 'volatile-ttl' })('memory.policy').status).toBe('warn');
  });

  it('warns about memory when maxmemory is 0 (unlimited)', () => {
    const find = judge({ maxmemory: 0 });
    expect(find('memory.maxmemory').status).toBe('warn');
    expect(find('memory.maxmemory').detail).toContain('no limit');
    expect(find('memory.usage').status).toBe('ok');
  });

  it('warns above 80 % of maxmemory and fails above 95 %', () => {
    const max = 1000 * 1024 ** 2;
    expect(judge({ maxmemory: max, usedMemory: max * 0.79 })('memory.usage').status).toBe('ok');
    expect(judge({ maxmemory: max, usedMemory: max * 0.85 })('memory.usage').status).toBe('warn');
    const full = judge({ maxmemory: max, usedMemory: max * 0.97 })('memory.usage');
    expect(full.status).toBe('fail');
    expect(full.detail).toContain('(97 %)');
  });

  it('only warns when CONFIG is unavailable and a setting cannot be read, with a managed-Redis fix', () => {
    const find = judge({ configError: "ERR unknown command 'CONFIG'", appendfsync: undefined, appendonly: 'no' });
    const fsync = find('persistence.appendfsync');
    expect(fsync.status).toBe('warn');
    expect(fsync.detail).toContain("CONFIG: ERR unknown command 'CONFIG'");
    expect(find('persistence.appendonly').fix).toContain("provider's settings");
    expect(find('persistence.appendonly').fix).not.toContain('CONFIG SET');
  });

  it('warns, and never fails, for what INFO and CONFIG could not tell', () => {
    const checks = judgeServerSettings(
      { latencySamplesMs: [], latencyError: 'timeout', configError: 'NOPERM', infoError: 'NOPERM' },
      DEFAULT_DOCTOR_THRESHOLDS,
    );
    expect(checks.map((c) => c.status)).toEqual(Array(7).fill('warn'));
  });

  it('suffixes ids, sets the node and points the fix at it for a Cluster master', () => {
    const check = judge({ maxmemoryPolicy: 'allkeys-lru' }, '10.0.0.1:7000')('memory.policy');
    expect(check.node).toBe('10.0.0.1:7000');
    expect(check.id).toBe('memory.policy@10.0.0.1:7000');
    expect(check.fix).toContain('redis-cli -h 10.0.0.1 -p 7000 CONFIG SET maxmemory-policy noeviction');
    expect(check.fix).toContain('redis-cli -h 10.0.0.1 -p 7000 CONFIG REWRITE');
  });
});
