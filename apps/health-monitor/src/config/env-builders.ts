import type { EnvVar } from '@rebal/service-kit';

/** Options of {@link ratio}. */
export interface RatioOptions {
  /** What the variable does (shown in the README table). */
  description: string;
  /** Value when unset, in 0..1. */
  default: number;
}

/**
 * A share in 0..1, written as a decimal (`0.8`) or a percentage (`80%`). The service kit has
 * integer and duration builders only; thresholds such as "memory above 80 % of maxmemory"
 * need a fraction.
 */
export function ratio(options: RatioOptions): EnvVar<number> {
  return {
    defaultText: String(options.default),
    description: `${options.description} (a share in 0..1, e.g. 0.8 or 80%)`,
    secret: false,
    parse(raw) {
      if (raw === undefined) return options.default;
      const match = /^(\d+(?:\.\d+)?)\s*(%)?$/.exec(raw.trim());
      if (!match) throw new Error('must be a number in 0..1 or a percentage such as 80%');
      const value = Number(match[1]) / (match[2] ? 100 : 1);
      if (!(value > 0 && value <= 1)) throw new Error('must be above 0 and at most 1 (100%)');
      return value;
    },
  };
}

/** Options of {@link list}. */
export interface ListOptions {
  /** What the variable does (shown in the README table). */
  description: string;
  /** Items when unset (default none). */
  default?: readonly string[];
  /** Every item must match this (default: any non-empty text). */
  pattern?: RegExp;
  /** How the pattern reads in errors, e.g. "a service name". */
  patternText?: string;
}

/** A comma-separated list; blanks around items are dropped, empty items are ignored, `none` is the empty list. */
export function list(options: ListOptions): EnvVar<string[]> {
  const fallback = [...(options.default ?? [])];
  return {
    defaultText: fallback.length ? fallback.join(',') : 'none',
    description: `${options.description} (comma-separated; \`none\` for an empty list)`,
    secret: false,
    parse(raw) {
      if (raw === undefined) return [...fallback];
      if (raw.trim().toLowerCase() === 'none') return [];
      const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
      const bad = options.pattern ? items.find((item) => !options.pattern?.test(item)) : undefined;
      if (bad !== undefined) throw new Error(`item "${bad.slice(0, 80)}" is not ${options.patternText ?? `like ${options.pattern}`}`);
      return [...new Set(items)];
    },
  };
}
