import { prettyFactory } from 'pino-pretty';

/** Options for {@link prettyLogLine}. */
export interface PrettyLogLineOptions {
  /** The service whose lines these are: its `name` field is dropped, the line prefix shows it already. */
  service: string;
  /** Colour the level and the message (ANSI escapes): only on a terminal. */
  colorize: boolean;
}

/** A pino record: what a service logs, one JSON object a line, with a numeric level and a time. */
function asPinoRecord(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    return typeof record['level'] === 'number' && typeof record['time'] === 'number' ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A formatter of one service's output lines for a person: a pino JSON line becomes
 * `[HH:MM:ss.l] LEVEL: message {"other":"fields"}` (pino-pretty; an error's stack on the
 * lines after it), without the pid, the hostname and the service's own name; any other line
 * (a stack trace printed by Node, a line that only looks like JSON) is returned unchanged,
 * so nothing a service prints is lost. The result has no trailing newline.
 */
export function prettyLogLine(options: PrettyLogLineOptions): (line: string) => string {
  const pretty = prettyFactory({ colorize: options.colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  return (line) => {
    const record = asPinoRecord(line);
    if (record === undefined) return line;
    if (record['name'] === options.service) delete record['name'];
    return pretty(record).replace(/\s+$/, '');
  };
}
