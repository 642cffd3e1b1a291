import { fullTitle, renderBarChart, type Bar } from './bar-chart-svg';
import { isMissing, parseNumber, parseTables, type MarkdownTable } from './markdown-tables';

/** Folder of the chart files, relative to docs/ (where benchmarks.md links them from). */
export const CHART_DIR = 'images/bench';

/** One chart drawn from a section's table. */
export interface SectionChart {
  /** File name inside {@link CHART_DIR}: `<section id>-<n>.svg`, n counting charted tables from 1. */
  file: string;
  /** The chart's title, also the image's alt text. */
  title: string;
  svg: string;
}

/** A section body with its charts. */
export interface SectionCharts {
  /** The body with an image line under each charted table, and no other image line of ours. */
  body: string;
  charts: SectionChart[];
}

/** The column of a table a chart shows. */
export interface ChosenColumn {
  index: number;
  /** A ratio column (drawn with a reference line at 1.0). */
  ratio: boolean;
}

// An image line this module wrote: removed before the tables are charted again, so a body
// that already has charts comes out the same.
const IMAGE_LINE = /^!\[.*\]\(images\/bench\/[^()\s]+\.svg\)\s*$/;
// "ratio to raw XREADGROUP + XACK loop (limit)", "÷ raw", "CPU per delivery ÷ peer"; not
// "deliveries/s per server core (1M ÷ CPU s)", where ÷ is arithmetic inside brackets.
const RATIO_HEADER = /^ratio\b|÷\s*[^()÷]+$/i;
const SIDE_HEADER = /^sides?$/i;
// A ratio column that moves less than this across its rows (e.g. deliveries ÷ limit when
// every side keeps up with the offered load) says less than the next ratio column.
const FLAT = 0.05;

/**
 * Charts the tables of one benchmark section: each table that has a column worth showing
 * gets a horizontal bar chart (one bar per row) and an image line
 * `![<title>](images/bench/<id>-<n>.svg)` under it. The rest of `body` is unchanged, and
 * image lines from an earlier call are replaced, so charting a charted body changes nothing.
 */
export function chartSection(id: string, sectionTitle: string, body: string): SectionCharts {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`bench section id "${id}" must be kebab-case (it names chart files)`);
  const lines = stripChartLines(body).split('\n');
  const charted: Array<{ table: MarkdownTable; chart: SectionChart }> = [];
  const headingsCharted = new Set<string | undefined>();
  for (const table of parseTables(lines.join('\n'))) {
    const column = chooseColumn(table, headingsCharted.has(table.heading));
    if (!column) continue;
    headingsCharted.add(table.heading);
    const n = charted.length + 1;
    const title = table.heading ?? sectionTitle;
    const subtitle = table.heading === undefined ? undefined : sectionTitle;
    const svg = renderBarChart({
      id: `${id}-${n}`,
      title,
      subtitle,
      axisLabel: axisLabel(table, column),
      bars: barsOf(table, column),
      reference: column.ratio ? 1 : undefined,
    });
    charted.push({ table, chart: { file: `${id}-${n}.svg`, title: fullTitle({ title, subtitle }), svg } });
  }
  // From the last table up, so the line numbers of the tables above stay valid.
  for (const { table, chart } of [...charted].reverse()) {
    const after = table.lastLine + 1;
    const insert = ['', `![${escapeAlt(chart.title)}](${CHART_DIR}/${chart.file})`];
    if (after < lines.length && lines[after].trim() !== '') insert.push('');
    lines.splice(after, 0, ...insert);
  }
  return { body: lines.join('\n'), charts: charted.map((c) => c.chart) };
}

/** `body` without the image lines {@link chartSection} adds (and the blank line before each). */
export function stripChartLines(body: string): string {
  const lines = body.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (!IMAGE_LINE.test(line.trim())) kept.push(line);
    else if (kept.length > 0 && kept[kept.length - 1].trim() === '') kept.pop();
  }
  return kept.join('\n');
}

/**
 * The column a table's chart shows, or undefined when the table gets no chart. A table is
 * charted when its rows are named by their first cell (text, not numbers) and there are at
 * least two of them; the column is the first ratio column whose figures differ by 5 % or more
 * (else the first ratio column). A table with no ratio column is charted only when its first
 * column is "side" and no earlier table under the same heading was charted (a second table of
 * the same sides holds secondary figures); it shows its first numeric column.
 */
export function chooseColumn(table: MarkdownTable, headingCharted = false): ChosenColumn | undefined {
  if (table.rows.length < 2 || table.rows.some((row) => parseNumber(row[0]) !== undefined || row[0].trim() === '')) return undefined;
  const numeric = table.header.map((_, c) => c > 0 && isChartable(table, c));
  const ratios = table.header.map((h, c) => numeric[c] && RATIO_HEADER.test(h.trim()));
  const moving = ratios.findIndex((isRatio, c) => isRatio && spread(table, c) >= FLAT);
  const ratio = moving >= 0 ? moving : ratios.indexOf(true);
  if (ratio >= 0) return { index: ratio, ratio: true };
  if (!SIDE_HEADER.test(table.header[0].trim()) || headingCharted) return undefined;
  const first = numeric.indexOf(true);
  return first >= 0 ? { index: first, ratio: false } : undefined;
}

/** Every cell a non-negative number or missing, at least two numbers, not all zero. */
function isChartable(table: MarkdownTable, column: number): boolean {
  const cells = table.rows.map((row) => row[column]);
  if (!cells.every((cell) => isMissing(cell) || parseNumber(cell) !== undefined)) return false;
  const values = cells.map(parseNumber).filter((v): v is number => v !== undefined);
  return values.length >= 2 && values.every((v) => v >= 0) && values.some((v) => v > 0);
}

/** (max − min) ÷ max of a column's figures. */
function spread(table: MarkdownTable, column: number): number {
  const values = table.rows.map((row) => parseNumber(row[column])).filter((v): v is number => v !== undefined);
  const max = Math.max(...values);
  return max > 0 ? (max - Math.min(...values)) / max : 0;
}

/**
 * What a chart's bars measure: the column's name, with the figure a bare "÷ limit" column
 * divides put in front (the nearest numeric column to its left that is no ratio, as in
 * "| KiB per idle connection | ÷ limit | ÷ peer |").
 */
export function axisLabel(table: MarkdownTable, column: ChosenColumn): string {
  const header = table.header[column.index].trim();
  if (!header.startsWith('÷')) return header;
  for (let c = column.index - 1; c > 0; c--) {
    const name = table.header[c].trim();
    if (RATIO_HEADER.test(name)) continue;
    return isChartable(table, c) ? `${name} ${header}` : header;
  }
  return header;
}

/** The bars of a table's chart, in the table's row order. */
export function barsOf(table: MarkdownTable, column: ChosenColumn): Bar[] {
  const labels = table.rows.map((row) => row[0].replace(/`/g, ''));
  const marked = labels.map(sideMark);
  // Sides named "(library)", "(ours)" or "(service)" are ours. A table that marks none of its
  // sides so (health check: our monitor beside a "(peer)") has ours unmarked instead.
  const anyOurs = marked.includes('ours');
  return table.rows.map((row, i) => {
    const value = parseNumber(row[column.index]);
    const cell = row[column.index].replace(/`/g, '').trim();
    return {
      label: labels[i],
      value: value ?? 0,
      text: value === undefined ? 'n/a' : column.ratio && !/[×x]$/.test(cell) ? `${cell}×` : cell,
      ours: marked[i] === 'ours' || (!anyOurs && marked[i] === undefined),
    };
  });
}

/** What the last bracketed words of a side's name say it is: ours, a peer or limit, or nothing. */
function sideMark(label: string): 'ours' | 'other' | undefined {
  const words = /\(([^()]*)\)\s*$/.exec(label)?.[1].toLowerCase().split(/[\s,;]+/) ?? [];
  if (words.some((w) => w === 'library' || w === 'ours' || w === 'service')) return 'ours';
  if (words.some((w) => w === 'peer' || w === 'limit' || w === 'raw' || w === 'baseline')) return 'other';
  return undefined;
}

function escapeAlt(value: string): string {
  return value.replace(/[\\[\]]/g, (c) => `\\${c}`);
}
