/** A source of uniform random numbers in [0, 1) (Math.random, or a seeded one in tests). */
export type Random = () => number;

/** A small deterministic PRNG (mulberry32), so a seed replays the same market. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * One step of geometric Brownian motion: the next price after `dtSeconds` for an annualised
 * volatility (e.g. 0.6 for 60 %) and drift. Prices stay positive whatever the draw.
 */
export function nextPrice(price: number, volatility: number, dtSeconds: number, random: Random, drift = 0): number {
  const dt = dtSeconds / (365 * 24 * 3600);
  const shock = gaussian(random);
  return price * Math.exp((drift - (volatility * volatility) / 2) * dt + volatility * Math.sqrt(dt) * shock);
}
