import type { CheckStatus, DoctorCheck, DoctorReport, DoctorStreamReport } from './doctor-report';

/** Options for {@link formatDoctorReport}. */
export interface FormatDoctorReportOptions {
  /** ANSI colours and ✔ ⚠ ✖ marks, for a terminal (default false: plain `OK` / `WARN` / `FAIL`). */
  color?: boolean;
}

const ANSI = { green: '\u001b[32m', yellow: '\u001b[33m', red: '\u001b[31m', bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m' };
const STATUS_COLOR: Record<CheckStatus, string> = { ok: ANSI.green, warn: ANSI.yellow, fail: ANSI.red };
const STATUS_MARK: Record<CheckStatus, string> = { ok: '✔', warn: '⚠', fail: '✖' };
const STATUS_WORD: Record<CheckStatus, string> = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' };

type Paint = (text: string, style: keyof typeof ANSI) => string;

function checkTitle(check: DoctorCheck): string {
  return check.node ? `${check.title} [${check.node}]` : check.title;
}

function formatCheck(check: DoctorCheck, titleWidth: number, color: boolean, paint: Paint): string[] {
  const mark = color ? `${STATUS_COLOR[check.status]}${STATUS_MARK[check.status]}${ANSI.reset}` : STATUS_WORD[check.status];
  const lines = [`  ${mark}  ${checkTitle(check).padEnd(titleWidth)}  ${check.detail}`];
  if (check.fix) {
    const indent = ' '.repeat(color ? 5 : 8);
    check.fix.split('\n').forEach((line, i) => lines.push(`${indent}${i === 0 ? paint('fix: ', 'bold') : '     '}${line}`));
  }
  return lines;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd());
}

function maxLag(stream: DoctorStreamReport): string {
  if (stream.groups.length === 0) return '-';
  const lags = stream.groups.map((group) => group.lag);
  return lags.includes(null) ? '?' : String(Math.max(...(lags as number[])));
}

function formatStreams(streams: DoctorStreamReport[], paint: Paint): string[] {
  if (streams.length === 0) return [];
  const rows = [['STREAM', 'LENGTH', 'GROUPS', 'PENDING', 'MAX LAG', 'DLQ', 'FIRST ID', 'LAST ID']];
  const groupLines = new Map<number, string[]>();
  for (const stream of streams) {
    const dlq = stream.dlqLength === null ? '?' : String(stream.dlqLength);
    if (!stream.exists || stream.error) {
      rows.push([stream.stream, '-', '-', '-', '-', dlq, stream.error ? 'unreadable' : 'not created yet', '']);
      continue;
    }
    const pending = stream.groups.reduce((sum, group) => sum + group.pending, 0);
    rows.push([
      stream.stream,
      String(stream.length),
      String(stream.groups.length),
      String(pending),
      maxLag(stream),
      dlq,
      stream.firstId ?? '-',
      stream.lastId ?? '-',
    ]);
    groupLines.set(
      rows.length - 1,
      stream.groups.map(
        (g) =>
          `      └ ${g.name}: ${g.consumers} consumer${g.consumers === 1 ? '' : 's'}, pending ${g.pending}, lag ${g.lag ?? 'unknown'}, last delivered ${g.lastDeliveredId}`,
      ),
    );
  }
  const lines = table(rows);
  const out = [paint('Streams', 'bold'), lines[0]];
  lines.slice(1).forEach((line, i) => out.push(line, ...(groupLines.get(i + 1) ?? [])));
  return out;
}

function summary(report: DoctorReport, paint: Paint): string {
  const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
  const counts = `${count('fail')} failed, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${count('ok')} ok`;
  if (!report.reachable) return `Result: ${paint('UNREACHABLE', 'red')}: Redis did not answer, nothing else was checked`;
  if (!report.ok) return `Result: ${paint('NOT READY', 'red')} (${counts}): fix the failed checks above`;
  return `Result: ${paint('READY', 'green')} (${counts})${count('warn') ? ': warnings are worth fixing but do not block' : ''}`;
}

/**
 * A doctor report as text for people: the target, one line per check with its status, detail
 * and an indented `fix:`, a table of the streams with their groups, and a one-line result.
 * Readable without colour (CI logs, files); `color` adds ANSI colours and ✔ ⚠ ✖ marks.
 */
export function formatDoctorReport(report: DoctorReport, options: FormatDoctorReportOptions = {}): string {
  const color = options.color ?? false;
  const paint: Paint = (text, style) => (color ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  const titleWidth = Math.max(0, ...report.checks.map((check) => checkTitle(check).length));
  const lines = [
    paint(`Redis doctor: ${report.target}`, 'bold'),
    paint(`checked in ${report.durationMs} ms`, 'dim'),
    '',
    ...report.checks.flatMap((check) => formatCheck(check, titleWidth, color, paint)),
  ];
  const streams = formatStreams(report.streams, paint);
  if (streams.length) lines.push('', ...streams);
  lines.push('', summary(report, paint));
  return `${lines.join('\n')}\n`;
}
