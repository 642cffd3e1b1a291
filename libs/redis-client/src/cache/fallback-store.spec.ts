import { FallbackStore } from './fallback-store';

describe('FallbackStore', () => {
  let now = 1_000_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('returns a value until its TTL passes, then forgets it', () => {
    const store = new FallbackStore({ maxEntries: 10, now: clock });
    store.set('k', '"v"', 1000);
    expect(store.get('k')).toEqual({ json: '"v"', expiresAt: now + 1000 });
    now += 999;
    expect(store.get('k')?.json).toBe('"v"');
    now += 1;
    expect(store.get('k')).toBeUndefined();
  });

  it('keeps nothing for a TTL that already ran out', () => {
    const store = new FallbackStore({ maxEntries: 10, now: clock });
    store.set('k', '"old"', 1000);
    expect(store.set('k', '"v"', 0)).toBeUndefined();
    expect(store.get('k')).toBeUndefined();
  });

  it('evicts the least recently used entry when full', () => {
    const store = new FallbackStore({ maxEntries: 2, now: clock });
    store.set('a', '1', 1000);
    store.set('b', '2', 1000);
    store.get('a');
    store.set('c', '3', 1000);
    expect(store.get('a')?.json).toBe('1');
    expect(store.get('b')).toBeUndefined();
    expect(store.get('c')?.json).toBe('3');
  });

  it('forgets a deleted key', () => {
    const store = new FallbackStore({ maxEntries: 2, now: clock });
    store.set('a', '1', 1000);
    store.delete('a');
    expect(store.get('a')).toBeUndefined();
  });

  it('updates a rewritten key in place and serves its new expiry', () => {
    const store = new FallbackStore({ maxEntries: 10, now: clock });
    const first = store.set('k', '"a"', 1000);
    now += 500;
    expect(store.set('k', '"b"', 100)).toBe(first);
    expect(store.get('k')).toEqual({ json: '"b"', expiresAt: now + 100 });
  });

  it('keeps a read value for the given bound, and never extends the live copy of the same text', () => {
    const store = new FallbackStore({ maxEntries: 10, now: clock });
    store.set('written', '"w"', 5000);
    store.keepRead('written', '"w"', 60_000);
    expect(store.get('written')?.expiresAt).toBe(now + 5000);

    store.keepRead('read', '"r"', 2000);
    now += 1500;
    store.keepRead('read', '"r"', 2000);
    expect(store.get('read')?.expiresAt).toBe(now + 500);
    // Changed in Redis: the new text gets the bound from this read.
    store.keepRead('read', '"r2"', 2000);
    expect(store.get('read')).toEqual({ json: '"r2"', expiresAt: now + 2000 });
    now += 2000;
    expect(store.get('read')).toBeUndefined();
    // Expired: the next read keeps it again.
    store.keepRead('read', '"r2"', 2000);
    expect(store.get('read')?.expiresAt).toBe(now + 2000);
  });
});
