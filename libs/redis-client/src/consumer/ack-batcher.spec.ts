import { AckBatcher } from './ack-batcher';

describe('AckBatcher', () => {
  it('sends ids acked in one turn as one batch and settles every caller with it', async () => {
    const batches: string[][] = [];
    const batcher = new AckBatcher(async (ids) => batches.push(ids));
    await Promise.all(['1-0', '2-0', '3-0'].map((id) => batcher.ack(id)));
    await batcher.ack('4-0');
    expect(batches).toEqual([['1-0', '2-0', '3-0'], ['4-0']]);
  });

  it('splits at maxBatch', async () => {
    const batches: string[][] = [];
    const batcher = new AckBatcher(async (ids) => batches.push(ids), 2);
    await Promise.all(['1-0', '2-0', '3-0'].map((id) => batcher.ack(id)));
    expect(batches).toEqual([['1-0', '2-0'], ['3-0']]);
  });

  it('rejects every caller of a failed batch', async () => {
    const batcher = new AckBatcher(() => Promise.reject(new Error('down')));
    const results = await Promise.allSettled([batcher.ack('1-0'), batcher.ack('2-0')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
