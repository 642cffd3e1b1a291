import { checkChannel, totalDeliveries, type ChannelRecord } from './delivery-check';

const truth = ['1-0', '2-0', '3-0', '4-0', '5-0'];
const delivered = (...ids: string[]) => ids.map((id, index) => ({ id, atMs: index }));
const record = (overrides: Partial<ChannelRecord>): ChannelRecord => ({ startAfter: '1-0', delivered: [], notRecovered: [], wireDuplicates: 0, ...overrides });

describe('checkChannel', () => {
  it('passes a channel that got every event after its start, once, in order', () => {
    const verdict = checkChannel('c', 'market_data', truth, record({ delivered: delivered('2-0', '3-0', '4-0', '5-0') }));
    expect(verdict).toMatchObject({ expected: 4, delivered: 4, lost: [], duplicates: [], outOfOrder: 0, phantoms: [], excused: 0 });
  });

  it('counts a missing event as lost, a repeat as a duplicate, a step back as out of order, and an unknown id as a phantom', () => {
    const verdict = checkChannel('c', 'market_data', truth, record({ delivered: delivered('2-0', '4-0', '4-0', '3-0', '9-0') }));
    expect(verdict.lost).toEqual(['5-0']);
    expect(verdict.duplicates).toEqual(['4-0']);
    expect(verdict.outOfOrder).toBe(2);
    expect(verdict.phantoms).toEqual(['9-0']);
  });

  it('excuses only the gap the client was told about with recovered: false', () => {
    // Told after delivering 2-0 that it missed events; the next delivery is 5-0: 3-0 and 4-0 are excused.
    const told = checkChannel('c', 'market_data', truth, record({ delivered: delivered('2-0', '5-0'), notRecovered: [{ atIndex: 1, reason: 'trimmed' }] }));
    expect(told).toMatchObject({ lost: [], excused: 2 });
    const untold = checkChannel('c', 'market_data', truth, record({ delivered: delivered('2-0', '5-0') }));
    expect(untold.lost).toEqual(['3-0', '4-0']);
  });

  it('sums verdicts', () => {
    const verdicts = [checkChannel('a', 's', truth, record({ delivered: delivered('2-0') })), checkChannel('b', 's', truth, record({ delivered: delivered('2-0', '3-0', '4-0', '5-0'), wireDuplicates: 2 }))];
    expect(totalDeliveries(verdicts)).toMatchObject({ channels: 2, expected: 8, delivered: 5, lost: 3, wireDuplicates: 2 });
  });
});
