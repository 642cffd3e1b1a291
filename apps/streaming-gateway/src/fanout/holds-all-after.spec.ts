import { holdsAllAfter } from './holds-all-after';

describe('holdsAllAfter', () => {
  it('holds when nothing came after the id yet', () => {
    expect(holdsAllAfter({ exists: true, lastId: '5-0', entriesRemoved: 3 }, '5-0')).toBe(true);
    expect(holdsAllAfter({ exists: false, lastId: '0-0' }, '0-0')).toBe(true);
  });

  it('holds when the stream never lost an entry and the id precedes all it holds', () => {
    expect(holdsAllAfter({ exists: true, lastId: '9-0', firstId: '3-0', entriesRemoved: 0 }, '0-0')).toBe(true);
    expect(holdsAllAfter({ exists: true, lastId: '9-0', firstId: '3-0', entriesRemoved: 0 }, '2-5')).toBe(true);
  });

  it('cannot tell once the stream lost entries, or when it holds entries before the id (it went back), or on servers without the counter', () => {
    expect(holdsAllAfter({ exists: true, lastId: '9-0', firstId: '3-0', entriesRemoved: 1 }, '2-0')).toBe(false);
    expect(holdsAllAfter({ exists: true, lastId: '9-0', firstId: '3-0', entriesRemoved: 0 }, '5-0')).toBe(false);
    expect(holdsAllAfter({ exists: true, lastId: '4-0', firstId: '3-0', entriesRemoved: 0 }, '5-0')).toBe(false);
    expect(holdsAllAfter({ exists: true, lastId: '9-0', firstId: '3-0' }, '2-0')).toBe(false);
  });
});
