import { freePortBase } from './free-port-base';
import { canBind } from './port-probe';

describe('freePortBase', () => {
  it('finds a block of free ports clear of 6379 and 8080-8083', async () => {
    const base = await freePortBase(4);
    expect(base).toBeGreaterThanOrEqual(20_000);
    expect(base + 3).toBeLessThanOrEqual(32_000);
    for (let port = base; port < base + 4; port++) expect(await canBind(port)).toBe(true);
  });

  it('refuses a range too small for the block', async () => {
    await expect(freePortBase(4, { from: 20_000, to: 20_002 })).rejects.toThrow(RangeError);
  });

  it('finds the one block a range of exactly its size holds', async () => {
    const from = await freePortBase(2);
    expect(await freePortBase(2, { from, to: from + 1 })).toBe(from);
  });
});
