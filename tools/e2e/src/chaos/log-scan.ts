import type { E2eStack } from '../stack';

/** A secret found in a log. */
export interface LeakFinding {
  /** Where: a replica's name, or `redis`. */
  readonly source: string;
  /** The line around it, with the secret masked. */
  readonly excerpt: string;
}

/** Everything the run's processes printed: every incarnation of every replica, and Redis. */
export function collectLogs(stack: E2eStack): Array<{ source: string; text: string }> {
  return [...stack.replicas.map((replica) => ({ source: replica.name, text: replica.outputText() })), { source: 'redis', text: stack.redis.log }];
}

/** Finds each secret, as is or base64- or URL-encoded, in the texts. */
export function findLeaks(texts: ReadonlyArray<{ source: string; text: string }>, secrets: readonly string[]): LeakFinding[] {
  const findings: LeakFinding[] = [];
  for (const secret of secrets.filter((s) => s.length >= 8)) {
    const forms = new Set([secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret)]);
    for (const { source, text } of texts) {
      for (const form of forms) {
        const at = text.indexOf(form);
        if (at < 0) continue;
        const excerpt = text.slice(Math.max(0, at - 60), at + form.length + 60).split(form).join('***').replace(/\s+/g, ' ');
        findings.push({ source, excerpt });
      }
    }
  }
  return findings;
}
