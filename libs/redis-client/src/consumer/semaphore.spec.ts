import { Semaphore, SemaphoreAbortedError } from './semaphore';

describe('Semaphore', () => {
  it('lets at most size holders in and hands released slots over in order', async () => {
    const slots = new Semaphore(2);
    await slots.acquire();
    await slots.acquire();
    expect(slots.inUse).toBe(2);
    const order: number[] = [];
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release();
    await third;
    expect(order).toEqual([3]);
    slots.release();
    await fourth;
    expect(order).toEqual([3, 4]);
    slots.release();
    slots.release();
    expect(slots.inUse).toBe(0);
    slots.release();
    expect(slots.inUse).toBe(0);
  });

  it('rejects a waiting acquire once its signal aborts, and an acquire on an aborted signal', async () => {
    const slots = new Semaphore(1);
    await slots.acquire();
    const abort = new AbortController();
    const waiting = slots.acquire(abort.signal);
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(SemaphoreAbortedError);
    await expect(slots.acquire(abort.signal)).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    slots.release();
    expect(slots.inUse).toBe(0);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
