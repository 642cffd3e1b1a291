import { canBind } from './port-probe';

/** Options of {@link freePortBase}. */
export interface FreePortBaseOptions {
  /** Lowest base tried (default 20000: clear of 6379, 8080-8083 and of the ephemeral range from 32768). */
  from?: number;
  /** Highest port of the block (default 32000). */
  to?: number;
  /** Attempts before giving up (default 50). */
  attempts?: number;
}

/**
 * A base port such that `base` ... `base + count - 1` are all free right now, picked at
 * random between `from` and `to` so parallel runs rarely pick the same block. Nothing holds
 * the ports afterwards: use them at once.
 * @throws RangeError when `count` ports do not fit between `from` and `to`
 * @throws Error when no free block was found in `attempts` tries
 */
export async function freePortBase(count: number, options: FreePortBaseOptions = {}): Promise<number> {
  const from = options.from ?? 20_000;
  const to = options.to ?? 32_000;
  const attempts = options.attempts ?? 50;
  const bases = to - from - count + 2;
  if (!Number.isInteger(count) || count < 1 || bases < 1) throw new RangeError(`no block of ${count} ports fits between ${from} and ${to}`);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const base = from + Math.floor(Math.random() * bases);
    let free = true;
    for (let port = base; port < base + count && free; port++) free = await canBind(port);
    if (free) return base;
  }
  throw new Error(`no block of ${count} free ports between ${from} and ${to} after ${attempts} tries`);
}
