import type { DoctorStreamReport } from './doctor-report';
import { DEFAULT_DOCTOR_THRESHOLDS } from './doctor-thresholds';
import { judgeStreams } from './judge-streams';

function stream(overrides: Partial<DoctorStreamReport>): DoctorStreamReport {
  return { stream: 'market_data', exists: true, length: 10, groups: [], dlqLength: 0, ...overrides };
}

const group = { name: 'alert-service', consumers: 1, pending: 0, lag: 0, lastDeliveredId: '1-0' };

describe('judgeStreams', () => {
  it('accepts a stream that does not exist yet', () => {
    const [check] = judgeStreams([stream({ exists: false, length: 0 })], DEFAULT_DOCTOR_THRESHOLDS);
    expect(check).toMatchObject({ id: 'stream.market_data', status: 'ok' });
    expect(check.detail).toContain('not created yet');
  });

  it('warns when a group lags or has too many pending entries', () => {
    const thresholds = { ...DEFAULT_DOCTOR_THRESHOLDS, lagWarn: 5, pendingWarn: 5 };
    const [lagging] = judgeStreams([stream({ groups: [{ ...group, lag: 6 }] })], thresholds);
    expect(lagging.status).toBe('warn');
    expect(lagging.detail).toContain('alert-service more than 5 entries behind');
    const [stuck] = judgeStreams([stream({ groups: [{ ...group, pending: 6 }] })], thresholds);
    expect(stuck.status).toBe('warn');
    expect(stuck.fix).toContain('XPENDING market_data <group>');
    const [fine] = judgeStreams([stream({ groups: [{ ...group, lag: 5, pending: 5 }] })], thresholds);
    expect(fine.status).toBe('ok');
  });

  it('warns when a platform stream is far past its MAXLEN, also behind a prefix', () => {
    const [check] = judgeStreams([stream({ stream: 'staging:alerts', length: 10_001 })], DEFAULT_DOCTOR_THRESHOLDS, 'staging:');
    expect(check.status).toBe('warn');
    expect(check.fix).toContain('MAXLEN ~ 5000');
  });

  it('fails when the key holds something else than a stream', () => {
    const [check] = judgeStreams([stream({ error: 'market_data holds a string, not a stream' })], DEFAULT_DOCTOR_THRESHOLDS);
    expect(check.status).toBe('fail');
  });

  it('warns about non-empty dead-letter streams with how to inspect them', () => {
    const checks = judgeStreams(
      [stream({ dlqLength: 3 }), stream({ stream: 'alerts', dlqLength: 0 })],
      DEFAULT_DOCTOR_THRESHOLDS,
    );
    const dlq = checks.find((c) => c.id === 'streams.dlq');
    expect(dlq?.status).toBe('warn');
    expect(dlq?.detail).toBe('market_data:dlq holds 3 entries');
    expect(dlq?.fix).toContain('redis-cli XRANGE market_data:dlq - + COUNT 10');
  });

  it('passes when every dead-letter stream is empty', () => {
    const checks = judgeStreams([stream({}), stream({ stream: 'alerts' })], DEFAULT_DOCTOR_THRESHOLDS);
    expect(checks.find((c) => c.id === 'streams.dlq')).toMatchObject({ status: 'ok', detail: 'all 2 dead-letter streams are empty' });
  });
});
