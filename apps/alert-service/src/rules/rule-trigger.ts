import { z } from 'zod';

/** Shortest `once_per` period: 1 second. */
export const MIN_TRIGGER_PERIOD_MS = 1_000;
/** Longest `once_per` period: 30 days. */
export const MAX_TRIGGER_PERIOD_MS = 30 * 86_400_000;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;

/** A `once_per` period in ms (`30s`, `15m`, `1h`, `1d`), or `undefined` when the text is not one. */
export function parseTriggerPeriod(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const TRIGGER_HELP = 'must be "every_time", "once" or {"once_per": "<duration>"} with a duration from 1s to 30d, such as "15m", "1h" or "1d"';

/**
 * How often a rule fires (opens an alert), as traders know it from their terminals:
 * - `"every_time"` (default): each time its condition starts to hold;
 * - `"once"`: the first time, after which the rule disables itself (`enabled: false`, the
 *   reason in its `status`);
 * - `{"once_per": "<duration>"}`: at most once per period per alert identity (fingerprint),
 *   counted from the raise: after a resolve, nothing raises (or goes pending) until the period
 *   since the last raise has passed, as during a cooldown.
 * Severity changes of an open alert are not fires.
 */
export const ruleTriggerSchema = z.union(
  [
    z.literal('every_time'),
    z.literal('once'),
    z.strictObject({
      once_per: z
        .string()
        .refine((text) => {
          const ms = parseTriggerPeriod(text);
          return ms !== undefined && ms >= MIN_TRIGGER_PERIOD_MS && ms <= MAX_TRIGGER_PERIOD_MS;
        }, 'must be a duration from 1s to 30d: a whole number and a unit (ms, s, m, h, d), such as "15m" or "1h"')
        .describe('the period, e.g. "1h"'),
    }),
  ],
  { error: TRIGGER_HELP },
);

/** A rule's trigger (see {@link ruleTriggerSchema}). */
export type RuleTrigger = z.output<typeof ruleTriggerSchema>;

/** The `once_per` period of a trigger in ms, or `undefined` for `every_time` and `once`. */
export function triggerPeriodMs(trigger: RuleTrigger | undefined): number | undefined {
  if (typeof trigger !== 'object' || trigger === null) return undefined;
  return parseTriggerPeriod(trigger.once_per);
}
