import { AckBatcher } from './ack-batcher';

const ignore = () => undefined;

describe('AckBatcher', () => {
  it('sends ids acked in one turn as one batch and settles every caller with it', async () => {
    const batches: string[][] = [];
    const batcher = new AckBatcher(async (ids) => batches.push(ids), ignore, 500);
    await Promise.all(['1-0', '2-0', '3-0'].map((id) => batcher.ack(id)));
    await batcher.ack('4-0');
    expect(batches).toEqual([['1-0', '2-0', '3-0'], ['4-0']]);
  });

  it('splits at maxBatch', async () => {
    const batches: string[][] = [];
    const batcher = new AckBatcher(async (ids) => batches.push(ids), ignore, 2);
    await Promise.all(['1-0', '2-0', '3-0'].map((id) => batcher.ack(id)));
    expect(batches).toEqual([['1-0', '2-0'], ['3-0']]);
  });

  it('rejects every caller of a failed batch', async () => {
    const batcher = new AckBatcher(() => Promise.reject(new Error('down')), ignore, 500);
    const results = await Promise.allSettled([batcher.ack('1-0'), batcher.ack('2-0')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('batches ids added without a promise, reports a failed batch once, and holds ids until their XACK is answered', async () => {
    const failures: Array<readonly string[]> = [];
    let answer!: (ok: boolean) => void;
    const batcher = new AckBatcher(
      () => new Promise((resolve, reject) => (answer = (ok) => (ok ? resolve(1) : reject(new Error('down'))))),
      (_error, ids) => failures.push(ids),
      500,
    );
    batcher.add('1-0');
    batcher.add('2-0');
    expect(batcher.holds('1-0')).toBe(true);
    const drained = batcher.drain();
    expect(batcher.holds('2-0')).toBe(true);
    expect(batcher.holds('3-0')).toBe(false);
    answer(false);
    await drained;
    expect(failures).toEqual([['1-0', '2-0']]);
    expect(batcher.holds('1-0')).toBe(false);
  });
});
