import { z } from 'zod';
import { SEVERITIES, type Severity } from '../rules';

/** Request timeout of a target that sets none: 10 s. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Shortest signing secret accepted (characters). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * One webhook target. Name rules: `[A-Za-z0-9_.-]{1,64}`, unique; the name is part of the
 * delivery id and of metric labels, so it cannot contain `:`.
 */
export const webhookTargetSchema = z.strictObject({
  /** Stable name, used in delivery ids, logs and metric labels (never the URL). */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-"'),
  /** Where deliveries are POSTed: an absolute `http://` or `https://` URL. Never logged (it may hold a token). */
  url: z
    .string()
    .refine((value) => {
      try {
        const { protocol } = new URL(value);
        return protocol === 'http:' || protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an absolute http:// or https:// URL'),
  /** HMAC-SHA256 signing secret (at least 16 characters); absent: deliveries are unsigned. Never logged. */
  secret: z.string().min(MIN_WEBHOOK_SECRET_LENGTH, `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`).optional(),
  /** Severities this target receives: a non-empty list of `S1`, `S2`, `S3` without repeats. */
  severities: z
    .array(z.enum(SEVERITIES as [Severity, ...Severity[]]))
    .min(1, 'must list at least one of S1, S2, S3')
    .refine((list) => new Set(list).size === list.length, 'must not repeat a severity'),
  /** Per-attempt request timeout in ms, 100 to 60000 (default {@link DEFAULT_WEBHOOK_TIMEOUT_MS}). */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
});

/** A list of targets whose names are unique. */
export const webhookTargetsSchema = z.array(webhookTargetSchema).superRefine((targets, ctx) => {
  const seen = new Set<string>();
  targets.forEach((target, index) => {
    if (seen.has(target.name)) {
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate target name "${target.name}"` });
    }
    seen.add(target.name);
  });
});

/** A webhook target (see {@link webhookTargetSchema}). */
export type WebhookTarget = z.output<typeof webhookTargetSchema>;
