import { deadLetterFields, errorMessage } from './dead-letter';

describe('deadLetterFields', () => {
  const notice = { stream: 's', id: '1-0', group: 'g', reason: 'invalid' as const, error: 'bad', deliveries: 2 };

  it('keeps the original fields and appends the dlq_* fields', () => {
    const fields = deadLetterFields(['id', 'e-1'], notice, new Date('2024-01-02T03:04:05.000Z'));
    expect(fields).toEqual([
      'id', 'e-1',
      'dlq_reason', 'invalid',
      'dlq_error', 'bad',
      'dlq_stream', 's',
      'dlq_id', '1-0',
      'dlq_group', 'g',
      'dlq_deliveries', '2',
      'dlq_time', '2024-01-02T03:04:05.000Z',
    ]);
  });

  it('cuts a huge error message short', () => {
    const fields = deadLetterFields(null, { ...notice, error: 'x'.repeat(10_000) });
    expect(fields[fields.indexOf('dlq_error') + 1].length).toBeLessThanOrEqual(2_001);
  });

  it('describes anything thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage({ code: 1 })).toBe('{"code":1}');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
