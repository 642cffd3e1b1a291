import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const FILE = join(__dirname, '../../../docs/benchmarks.md');

/**
 * Replaces the section between `<!-- bench:<id> -->` and `<!-- /bench:<id> -->` in
 * docs/benchmarks.md with `body` (appending the section when it is not there yet), so each
 * benchmark rewrites only its own results.
 */
export function writeSection(id: string, title: string, body: string): void {
  const start = `<!-- bench:${id} -->`;
  const end = `<!-- /bench:${id} -->`;
  const section = `${start}\n## ${title}\n\n${body.trim()}\n${end}`;
  const text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, next);
  console.log(`wrote section "${title}" to docs/benchmarks.md`);
}
