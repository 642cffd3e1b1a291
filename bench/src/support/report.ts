import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartSection, CHART_DIR } from './charts';

/** Where the benchmark report lives: the markdown file and the folder its chart images go to. */
export interface ReportFiles {
  /** docs/benchmarks.md */
  markdown: string;
  /** docs/images/bench, the folder the markdown's image lines point into. */
  charts: string;
}

const DOCS = join(__dirname, '../../../docs');
const REPORT: ReportFiles = { markdown: join(DOCS, 'benchmarks.md'), charts: join(DOCS, CHART_DIR) };

/**
 * Replaces the section between `<!-- bench:<id> -->` and `<!-- /bench:<id> -->` in
 * docs/benchmarks.md with `body` (appending the section when it is not there yet), so each
 * benchmark rewrites only its own results. The section's tables get their charts: written to
 * docs/images/bench/<id>-<n>.svg (the section's older chart files removed) and linked by an
 * image line under each charted table.
 */
export function writeSection(id: string, title: string, body: string): void {
  const text = existsSync(REPORT.markdown) ? readFileSync(REPORT.markdown, 'utf8') : '# Benchmarks\n';
  writeIfChanged(REPORT.markdown, putSection(text, id, title, body, REPORT.charts));
  console.log(`wrote section "${title}" to docs/benchmarks.md`);
}

/**
 * Draws the charts of every section already in the report again, from its tables as they
 * stand, without running a benchmark (`bash bench/run.sh charts`). Running it twice changes
 * nothing. Returns the ids of the sections it charted.
 */
export function redrawCharts(files: ReportFiles = REPORT): string[] {
  let text = readFileSync(files.markdown, 'utf8');
  const ids: string[] = [];
  for (const section of readSections(text)) {
    text = putSection(text, section.id, section.title, section.body, files.charts);
    ids.push(section.id);
  }
  writeIfChanged(files.markdown, text);
  return ids;
}

/** A section of the report as a benchmark wrote it. */
interface Section {
  id: string;
  title: string;
  body: string;
}

/** Every `<!-- bench:<id> -->` section of the report, in order. */
function readSections(text: string): Section[] {
  const sections: Section[] = [];
  for (const match of text.matchAll(/<!-- bench:([a-z0-9-]+) -->\n## ([^\n]*)\n([\s\S]*?)\n<!-- \/bench:\1 -->/g)) {
    sections.push({ id: match[1], title: match[2], body: match[3] });
  }
  return sections;
}

/** `text` with section `id` set to `title` and `body` (and its charts), writing the section's chart files. */
function putSection(text: string, id: string, title: string, body: string, chartsDir: string): string {
  const charted = chartSection(id, title, body.trim());
  mkdirSync(chartsDir, { recursive: true });
  const current = new Set(charted.charts.map((c) => c.file));
  for (const file of readdirSync(chartsDir)) {
    if (!current.has(file) && new RegExp(`^${id}-\\d+\\.svg$`).test(file)) unlinkSync(join(chartsDir, file));
  }
  for (const chart of charted.charts) writeIfChanged(join(chartsDir, chart.file), chart.svg);

  const start = `<!-- bench:${id} -->`;
  const end = `<!-- /bench:${id} -->`;
  const section = `${start}\n## ${title}\n\n${charted.body.trim()}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  return from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
}

/** Writes only when the content differs, so a redraw that changes nothing touches no file. */
function writeIfChanged(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  writeFileSync(path, content);
}
