import type { EnvVarDoc } from './env-schema';

/** The README's environment table sits between these two markers. */
export const ENV_TABLE_START = '<!-- env-table -->';
/** End marker of the README's environment table. */
export const ENV_TABLE_END = '<!-- /env-table -->';

/** One row of the README's environment table (`| variable | services | default | meaning |`). */
export interface EnvTableRow {
  /** Variable name, without backticks. */
  readonly name: string;
  /** Service names from the second column; `all` means every service. */
  readonly services: readonly string[];
  /** The default column, backticks removed and whitespace collapsed. */
  readonly defaultText: string;
  /** 1-based line in the document, for messages. */
  readonly line: number;
}

/** What {@link envTableProblems} compares. */
export interface EnvTableCheck {
  /** The service whose variables are checked, as written in the services column. */
  readonly service: string;
  /** The service's variables as its parser documents them (`EnvSchema.describe()`). */
  readonly variables: readonly Pick<EnvVarDoc, 'name' | 'default'>[];
  /** Rows that belong to someone else even when they say `all` (e.g. the Redis variables). Default: none. */
  readonly ignore?: ReadonlySet<string>;
}

const plain = (cell: string): string => cell.replace(/`/g, '').replace(/\s+/g, ' ').trim();

/**
 * Reads the rows between {@link ENV_TABLE_START} and {@link ENV_TABLE_END}. Throws when
 * the markers are missing or a row does not have four cells, so a broken table is noticed.
 */
export function parseEnvTable(markdown: string): EnvTableRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === ENV_TABLE_START);
  const end = lines.findIndex((line, i) => i > start && line.trim() === ENV_TABLE_END);
  if (start < 0 || end < 0) throw new Error(`the environment table markers ${ENV_TABLE_START} ... ${ENV_TABLE_END} were not found`);
  const rows: EnvTableRow[] = [];
  for (let i = start + 1; i < end; i++) {
    const text = lines[i]?.trim() ?? '';
    if (!text.startsWith('|') || /^\|\s*-/.test(text) || /^\|\s*variable\s*\|/i.test(text)) continue;
    // Cells split on pipes that are not escaped (`\|` may appear in a description).
    const cells = text.slice(1, text.endsWith('|') ? -1 : undefined).split(/(?<!\\)\|/).map((cell) => cell.trim());
    if (cells.length !== 4) throw new Error(`line ${i + 1}: expected 4 cells (variable, services, default, meaning), got ${cells.length}`);
    const [name = '', services = '', defaultText = ''] = cells;
    rows.push({ name: plain(name), services: plain(services).split(/\s*,\s*/).filter(Boolean), defaultText: plain(defaultText), line: i + 1 });
  }
  return rows;
}

const applies = (row: EnvTableRow, service: string): boolean => row.services.includes(service) || row.services.includes('all');

/**
 * Every way the table and one service's parser disagree: a variable without exactly one row
 * for the service, a default that differs, or a row naming the service for a variable it does
 * not read. Empty when they agree.
 */
export function envTableProblems(rows: readonly EnvTableRow[], check: EnvTableCheck): string[] {
  const problems: string[] = [];
  const known = new Set(check.variables.map((variable) => variable.name));
  for (const variable of check.variables) {
    const matches = rows.filter((row) => row.name === variable.name && applies(row, check.service));
    const expected = plain(variable.default);
    if (matches.length === 0) {
      problems.push(`${variable.name}: no row for ${check.service} (expected default "${expected}")`);
    } else if (matches.length > 1) {
      problems.push(`${variable.name}: ${matches.length} rows for ${check.service} (lines ${matches.map((row) => row.line).join(', ')})`);
    } else if (matches[0]?.defaultText !== expected) {
      problems.push(`${variable.name}: line ${matches[0]?.line} says default "${matches[0]?.defaultText}" for ${check.service}, the parser says "${expected}"`);
    }
  }
  for (const row of rows) {
    if (applies(row, check.service) && !known.has(row.name) && !check.ignore?.has(row.name)) {
      problems.push(`${row.name}: line ${row.line} lists it for ${check.service}, which does not read it`);
    }
  }
  return problems;
}

/** A variable as `--help` shows it (an {@link EnvVarDoc}, or a Redis variable without `secret`). */
export type HelpVariable = Pick<EnvVarDoc, 'name' | 'default' | 'description'> & { readonly secret?: boolean };

/** The variables as `--help` text: name, default and meaning, secrets marked. */
export function formatEnvHelp(variables: readonly HelpVariable[]): string {
  const width = Math.max(...variables.map((variable) => variable.name.length));
  return variables
    .map((variable) => {
      const meta = `default: ${plain(variable.default)}${variable.secret ? '; secret, never logged' : ''}`;
      return `  ${variable.name.padEnd(width)}  ${plain(variable.description)}\n  ${' '.repeat(width)}  (${meta})`;
    })
    .join('\n');
}
