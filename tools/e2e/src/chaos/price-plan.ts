import { SeededRandom } from './seeded-random';

/** What a symbol's prices do during a run, and so what its alert must end as. */
export type SymbolFate = 'quiet' | 'fires' | 'fires-then-resolves' | 'fires-then-acknowledged';

/** The final status of a symbol's alert that its fate implies (`none`: no alert at all). */
export type ExpectedAlert = 'none' | 'firing' | 'resolved' | 'acknowledged';

/** The price plan of one symbol. */
export interface SymbolPlan {
  readonly symbol: string;
  readonly fate: SymbolFate;
  /** The first tick at or above the threshold (absent when quiet). */
  readonly crossAtTick?: number;
  /** The first tick below the recovery level after firing (`fires-then-resolves` only). */
  readonly resolveAtTick?: number;
}

/** The rule every chaos symbol has: `price_threshold` above 100 (S1), recovery below 90, no delays. */
export const CHAOS_THRESHOLD = 100;
/** The recovery level of the chaos rules. */
export const CHAOS_RECOVERY = 90;

/** Options of {@link planSymbols}. */
export interface PlanSymbolsOptions {
  seed: number;
  /** How many symbols (`CX01`...); at least 4, so every fate occurs. */
  symbols: number;
  /** Ticks in the run (one price per symbol per tick). */
  ticks: number;
  /** The first tick a symbol may cross at (default a tenth of the ticks). */
  firstCrossTick?: number;
  /**
   * A tick at which the first firing symbol crosses instead (default none), e.g. one in a calm
   * phase before `firstCrossTick`, so that phase measures an alert too.
   */
  earlyCrossTick?: number;
}

/**
 * Plans the symbols of a run from a seed: fates dealt round-robin over a seeded shuffle (so each
 * occurs), crossings spread over the run, resolutions early enough to happen before its end.
 */
export function planSymbols(options: PlanSymbolsOptions): SymbolPlan[] {
  if (options.symbols < 4) throw new RangeError('planSymbols needs at least 4 symbols');
  if (options.ticks < 20) throw new RangeError('planSymbols needs at least 20 ticks');
  const random = new SeededRandom(options.seed ^ 0x5eed);
  const fates: SymbolFate[] = ['quiet', 'fires', 'fires-then-resolves', 'fires-then-acknowledged'];
  const first = Math.max(1, options.firstCrossTick ?? Math.floor(options.ticks / 10));
  const lastCross = Math.max(first, Math.floor(options.ticks * 0.6));
  return random.shuffle(Array.from({ length: options.symbols }, (_, index) => index)).map((index, order) => {
    const symbol = `CX${String(index + 1).padStart(2, '0')}`;
    const fate = fates[order % fates.length] as SymbolFate;
    if (fate === 'quiet') return { symbol, fate };
    const early = options.earlyCrossTick !== undefined && order === 1;
    const crossAtTick = early ? (options.earlyCrossTick as number) : random.int(first, lastCross);
    if (fate !== 'fires-then-resolves') return { symbol, fate, crossAtTick };
    const resolveAtTick = random.int(crossAtTick + 2, Math.max(crossAtTick + 2, Math.floor(options.ticks * 0.9)));
    return { symbol, fate, crossAtTick, resolveAtTick };
  }).sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/** The price of a symbol at a tick: under 80 before crossing, 105 to 125 while firing, 60 once resolved. */
export function priceAt(plan: SymbolPlan, tick: number): number {
  if (plan.resolveAtTick !== undefined && tick >= plan.resolveAtTick) return 60;
  if (plan.crossAtTick !== undefined && tick >= plan.crossAtTick) return 105 + (tick % 5) * 5;
  return 50 + (tick % 7) * 5;
}

/** The final status a symbol's alert must have after the run. */
export function expectedAlert(plan: SymbolPlan): ExpectedAlert {
  switch (plan.fate) {
    case 'quiet':
      return 'none';
    case 'fires':
      return 'firing';
    case 'fires-then-resolves':
      return 'resolved';
    case 'fires-then-acknowledged':
      return 'acknowledged';
  }
}

/** The seed rules of a run: one `price_threshold` rule per symbol (`chaos-<symbol>`). */
export function chaosRules(plans: readonly SymbolPlan[]): object[] {
  return plans.map((plan) => ({
    id: `chaos-${plan.symbol.toLowerCase()}`,
    name: `${plan.symbol} above ${CHAOS_THRESHOLD}`,
    kind: 'price_threshold',
    symbol: plan.symbol,
    direction: 'above',
    severities: { S1: CHAOS_THRESHOLD },
    recovery: CHAOS_RECOVERY,
    pendingSeconds: 0,
    keepFiringSeconds: 0,
    cooldownSeconds: 0,
  }));
}
