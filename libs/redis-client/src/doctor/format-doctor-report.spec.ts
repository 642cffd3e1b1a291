import type { DoctorReport } from './doctor-report';
import { formatDoctorReport } from './format-doctor-report';

function report(overrides: Partial<DoctorReport> = {}): DoctorReport {
  return {
    ok: false,
    reachable: true,
    target: 'redis://app:***@redis.internal:6379/0',
    durationMs: 42,
    checks: [
      { id: 'connection.ping', title: 'Redis answers PING', status: 'ok', detail: 'PONG in 0.4 ms' },
      {
        id: 'memory.maxmemory',
        title: 'Memory limit (maxmemory)',
        status: 'warn',
        detail: 'maxmemory is 0 (no limit)',
        fix: 'redis-cli CONFIG SET maxmemory 1gb\nredis-cli CONFIG REWRITE',
      },
      {
        id: 'memory.policy',
        title: 'Eviction policy (maxmemory-policy)',
        status: 'fail',
        detail: 'maxmemory-policy is allkeys-lru: allkeys-lru evicts alerts and streams',
        fix: 'redis-cli CONFIG SET maxmemory-policy noeviction',
      },
    ],
    streams: [
      {
        stream: 'market_data',
        exists: true,
        length: 5,
        firstId: '1-0',
        lastId: '5-0',
        groups: [{ name: 'alert-service', consumers: 1, pending: 2, lag: 3, lastDeliveredId: '2-0' }],
        dlqLength: 1,
      },
      { stream: 'alerts', exists: false, length: 0, groups: [], dlqLength: 0 },
    ],
    ...overrides,
  };
}

describe('formatDoctorReport', () => {
  it('prints the target in the header', () => {
    const text = formatDoctorReport(report());
    expect(text.split('\n')[0]).toBe('Redis doctor: redis://app:***@redis.internal:6379/0');
  });

  it('prints one line per check with a plain status word when colour is off', () => {
    const lines = formatDoctorReport(report()).split('\n');
    expect(lines.find((l) => l.includes('Redis answers PING'))).toMatch(/^\s+OK\s+Redis answers PING\s+PONG in 0\.4 ms$/);
    expect(lines.find((l) => l.includes('Memory limit'))).toMatch(/^\s+WARN\s+Memory limit \(maxmemory\)\s+maxmemory is 0/);
    expect(lines.find((l) => l.includes('Eviction policy'))).toMatch(/^\s+FAIL\s+Eviction policy.*allkeys-lru evicts alerts and streams$/);
    expect(formatDoctorReport(report())).not.toContain('\u001b[');
  });

  it('indents every line of a fix under its check', () => {
    const lines = formatDoctorReport(report()).split('\n');
    const warn = lines.findIndex((l) => l.includes('Memory limit'));
    expect(lines[warn + 1]).toMatch(/^ {6,}fix: redis-cli CONFIG SET maxmemory 1gb$/);
    expect(lines[warn + 2]).toMatch(/^ {6,}redis-cli CONFIG REWRITE$/);
    expect(lines[warn + 2].indexOf('redis-cli')).toBe(lines[warn + 1].indexOf('redis-cli'));
  });

  it('uses coloured marks when colour is on', () => {
    const text = formatDoctorReport(report(), { color: true });
    expect(text).toContain('\u001b[32m✔\u001b[0m');
    expect(text).toContain('\u001b[33m⚠\u001b[0m');
    expect(text).toContain('\u001b[31m✖\u001b[0m');
  });

  it('prints a streams table with length, pending, lag, DLQ size and each group', () => {
    const lines = formatDoctorReport(report()).split('\n');
    const header = lines.findIndex((l) => /STREAM\s+LENGTH\s+GROUPS\s+PENDING\s+MAX LAG\s+DLQ/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1].trim().split(/\s+/)).toEqual(['market_data', '5', '1', '2', '3', '1', '1-0', '5-0']);
    expect(lines[header + 2]).toContain('alert-service: 1 consumer, pending 2, lag 3, last delivered 2-0');
    expect(lines[header + 3]).toMatch(/^\s+alerts\s+-\s+-\s+-\s+-\s+0\s+not created yet$/);
  });

  it('ends with a summary that counts failures, warnings and passes', () => {
    const lines = formatDoctorReport(report()).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('Result: NOT READY (1 failed, 1 warning, 1 ok): fix the failed checks above');
    const healthy = report({ ok: true, checks: report().checks.slice(0, 1) });
    expect(formatDoctorReport(healthy).trimEnd().split('\n').at(-1)).toBe('Result: READY (0 failed, 0 warnings, 1 ok)');
  });

  it('says plainly when Redis was unreachable', () => {
    const unreachable = report({
      reachable: false,
      streams: [],
      checks: [{ id: 'connection.ping', title: 'Redis answers PING', status: 'fail', detail: 'no answer: connect ECONNREFUSED' }],
    });
    const text = formatDoctorReport(unreachable);
    expect(text).toContain('Result: UNREACHABLE');
    expect(text).not.toContain('STREAM');
  });
});
