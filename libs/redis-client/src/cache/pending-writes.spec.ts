import { PendingWrites, type PendingWrite } from './pending-writes';

const set = (key: string, json: string): PendingWrite => ({ op: 'set', key, json, expiresAt: 1 });

describe('PendingWrites', () => {
  it('keeps only the last write per key', () => {
    const pending = new PendingWrites(10);
    pending.add(set('a', '1'));
    pending.add({ op: 'del', key: 'a' });
    pending.add(set('b', '2'));
    expect(pending.list()).toEqual([{ op: 'del', key: 'a' }, set('b', '2')]);
  });

  it('drops and returns the oldest write when more keys are pending than allowed', () => {
    const pending = new PendingWrites(2);
    expect(pending.add(set('a', '1'))).toBeUndefined();
    expect(pending.add(set('b', '2'))).toBeUndefined();
    expect(pending.add(set('c', '3'))).toEqual(set('a', '1'));
    expect(pending.list().map((write) => write.key)).toEqual(['b', 'c']);
  });

  it('settles a replayed write but keeps a newer one made meanwhile', () => {
    const pending = new PendingWrites(10);
    const first = set('a', '1');
    pending.add(first);
    const snapshot = pending.list();
    const newer = set('a', '2');
    pending.add(newer);
    snapshot.forEach((write) => pending.settle(write));
    expect(pending.list()).toEqual([newer]);
    pending.settle(newer);
    expect(pending.size).toBe(0);
  });

  it('issue 11 item 22: a write sent later supersedes a pending one sent before it', () => {
    const pending = new PendingWrites(10);
    const older = pending.stamp();
    const newer = pending.stamp();
    // Sent in this order; the older one timed out (pending), then the newer one landed.
    pending.add(set('a', 'old'), older);
    pending.landed('a', newer);
    expect(pending.size).toBe(0);
    // A pending write is not replaced by one sent before it, and survives a landing of an older one.
    const first = pending.stamp();
    const second = pending.stamp();
    pending.add(set('b', 'second'), second);
    pending.add(set('b', 'first'), first);
    pending.landed('b', first);
    expect(pending.list()).toEqual([set('b', 'second')]);
  });
});
