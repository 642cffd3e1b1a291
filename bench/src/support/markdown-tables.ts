/** A GitHub-flavoured markdown table found in a section body. */
export interface MarkdownTable {
  /** Text of the nearest `### ` heading above the table, or undefined when there is none. */
  heading: string | undefined;
  /** Header cells, in order. */
  header: string[];
  /** Body rows, each with as many cells as the header (missing cells are empty strings). */
  rows: string[][];
  /** Index (0-based) of the table's header line in the body's lines. */
  firstLine: number;
  /** Index (0-based) of the table's last row in the body's lines. */
  lastLine: number;
}

const DELIMITER_ROW = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const HEADING = /^###\s+(.+?)\s*#*\s*$/;

/**
 * Finds every table in `body` (a run of lines starting with `|` whose second line is a
 * delimiter row), with the `### ` heading it sits under. Lines are split on `\n` only, so
 * `firstLine`/`lastLine` index `body.split('\n')`.
 */
export function parseTables(body: string): MarkdownTable[] {
  const lines = body.split('\n');
  const tables: MarkdownTable[] = [];
  let heading: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const h = HEADING.exec(lines[i]);
    if (h) {
      heading = h[1];
      continue;
    }
    if (!isTableLine(lines[i]) || i + 1 >= lines.length || !DELIMITER_ROW.test(lines[i + 1].trim())) continue;
    const header = splitRow(lines[i]);
    let last = i + 1;
    while (last + 1 < lines.length && isTableLine(lines[last + 1])) last++;
    const rows = lines.slice(i + 2, last + 1).map((line) => {
      const cells = splitRow(line);
      return header.map((_, c) => cells[c] ?? '');
    });
    tables.push({ heading, header, rows, firstLine: i, lastLine: last });
    i = last;
  }
  return tables;
}

function isTableLine(line: string): boolean {
  return line.trimStart().startsWith('|');
}

/** Cells of one table row: split on pipes that are not escaped, outer pipes dropped, `\|` unescaped. */
export function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/**
 * The number a table cell shows (`90,400`, `1.74`, `0.017`, `1.15×`, `12 %`), or undefined
 * when the cell holds anything else (`176 (191)`, `18,661 (pexpire 4,664)`, text).
 */
export function parseNumber(cell: string): number | undefined {
  const text = cell.replace(/`/g, '').trim();
  const match = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*[×x%]?$/.exec(text);
  return match ? Number(match[1].replace(/,/g, '')) : undefined;
}

/** Whether a cell stands for "no value" rather than a number: empty, a dash or n/a. */
export function isMissing(cell: string): boolean {
  return /^(|-|—|–|n\/a|\?)$/i.test(cell.trim());
}
