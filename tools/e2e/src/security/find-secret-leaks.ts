import { secretForms, type SecretFormName } from './secret-forms';

/** One text to scan, e.g. a replica's whole output or the Redis log. */
export interface ScannedText {
  /** Where it came from, e.g. `alert-service-1` or `redis`: named in the leak. */
  readonly source: string;
  /** The text. */
  readonly text: string;
}

/** A secret found in a scanned text. */
export interface SecretLeak {
  /** The `source` of the text. */
  readonly source: string;
  /** Index of the secret in the `secrets` given to {@link findSecretLeaks}. */
  readonly secretIndex: number;
  /** How it was written there (see {@link secretForms}). */
  readonly form: SecretFormName;
  /** 1-based line of the text where it starts. */
  readonly line: number;
  /** The text around it, every secret masked as `***`: safe to print. */
  readonly excerpt: string;
}

/** Options of {@link findSecretLeaks}. */
export interface FindSecretLeaksOptions {
  /** Characters of context on each side of a leak in its excerpt (default 40). */
  contextChars?: number;
  /**
   * Shortest secret accepted (default 8): shorter ones would be found by chance, so a
   * shorter secret throws a `RangeError` rather than give meaningless results.
   */
  minSecretLength?: number;
}

const MASK = '***';

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly secretIndex: number;
  readonly form: SecretFormName;
}

/** Every occurrence of every form of every secret in `text`, by start. */
function findHits(text: string, patterns: ReadonlyArray<{ secretIndex: number; form: SecretFormName; text: string }>): Hit[] {
  const hits: Hit[] = [];
  for (const pattern of patterns) {
    for (let at = text.indexOf(pattern.text); at !== -1; at = text.indexOf(pattern.text, at + 1)) {
      hits.push({ start: at, end: at + pattern.text.length, secretIndex: pattern.secretIndex, form: pattern.form });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  // One occurrence once: drop a hit inside an earlier, longer hit of the same secret.
  return hits.filter((hit, index) => !hits.some((other, at) => at < index && other.secretIndex === hit.secretIndex && other.start <= hit.start && hit.end <= other.end));
}

/** The line (1-based) of each offset, found by one pass over the text. */
function lineNumbers(text: string, offsets: readonly number[]): Map<number, number> {
  const lines = new Map<number, number>();
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  let line = 1;
  let from = 0;
  for (const offset of sorted) {
    for (let at = text.indexOf('\n', from); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
      line += 1;
      from = at + 1;
    }
    lines.set(offset, line);
  }
  return lines;
}

/**
 * An excerpt of `text` around `hit`, from its line only, with every hit of the line (of any
 * secret) replaced by `***`, so the excerpt never shows a secret or a part of one.
 */
function maskedExcerpt(text: string, hit: Hit, hits: readonly Hit[], contextChars: number): string {
  const lineStart = text.lastIndexOf('\n', hit.start - 1) + 1;
  const newline = text.indexOf('\n', hit.start);
  const lineEnd = newline === -1 ? text.length : newline;
  // The line's hits merged into disjoint intervals (hits are sorted by start).
  const intervals: Array<{ start: number; end: number }> = [];
  for (const other of hits) {
    if (other.end <= lineStart || other.start >= lineEnd) continue;
    const last = intervals[intervals.length - 1];
    if (last !== undefined && other.start <= last.end) last.end = Math.max(last.end, other.end);
    else intervals.push({ start: Math.max(other.start, lineStart), end: other.end });
  }
  let masked = '';
  let cursor = lineStart;
  let maskedAt = 0;
  const masks: number[] = [];
  for (const interval of intervals) {
    masked += text.slice(cursor, interval.start);
    if (interval.start <= hit.start && hit.start < interval.end) maskedAt = masked.length;
    masks.push(masked.length);
    masked += MASK;
    cursor = Math.min(interval.end, lineEnd);
  }
  masked += text.slice(cursor, lineEnd);
  // The window never cuts a mask in two.
  const snap = (at: number, toEnd: boolean) => {
    const mask = masks.find((start) => start < at && at < start + MASK.length);
    return mask === undefined ? at : toEnd ? mask + MASK.length : mask;
  };
  const from = snap(Math.max(0, maskedAt - contextChars), false);
  const to = snap(Math.min(masked.length, maskedAt + MASK.length + contextChars), true);
  return `${from > 0 ? '…' : ''}${masked.slice(from, to)}${to < masked.length ? '…' : ''}`;
}

/**
 * Looks for `secrets` in `texts`, in every form a logger could write them (as is,
 * percent-encoded, JSON-escaped, hex, base64 and base64url at any alignment: see
 * {@link secretForms}), and returns one {@link SecretLeak} per occurrence, in text order.
 * Excerpts mask every secret, so the result can be printed in a failure message. Empty
 * secrets are ignored; a secret shorter than `minSecretLength` throws a `RangeError`.
 */
export function findSecretLeaks(texts: Iterable<ScannedText>, secrets: readonly string[], options: FindSecretLeaksOptions = {}): SecretLeak[] {
  const contextChars = options.contextChars ?? 40;
  const minSecretLength = options.minSecretLength ?? 8;
  const patterns = secrets.flatMap((secret, secretIndex) => {
    if (secret.length === 0) return [];
    if (secret.length < minSecretLength) {
      throw new RangeError(`secret #${secretIndex} has ${secret.length} characters, fewer than minSecretLength (${minSecretLength}): it would be found by chance`);
    }
    return secretForms(secret).map((form) => ({ secretIndex, form: form.form, text: form.text }));
  });
  const leaks: SecretLeak[] = [];
  for (const { source, text } of texts) {
    const hits = findHits(text, patterns);
    if (hits.length === 0) continue;
    const lines = lineNumbers(text, hits.map((hit) => hit.start));
    for (const hit of hits) {
      leaks.push({
        source,
        secretIndex: hit.secretIndex,
        form: hit.form,
        line: lines.get(hit.start) as number,
        excerpt: maskedExcerpt(text, hit, hits, contextChars),
      });
    }
  }
  return leaks;
}

/** A one-line description of each leak (source, line, secret index, form, masked excerpt), for failure messages. */
export function describeSecretLeaks(leaks: readonly SecretLeak[]): string {
  return leaks.map((leak) => `${leak.source}:${leak.line}: secret #${leak.secretIndex} (${leak.form}): ${leak.excerpt}`).join('\n');
}
