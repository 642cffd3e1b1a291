/** How `npm start` prints its services' logs: `pretty` for a person, `json` as the services write them. */
export type LogFormat = 'pretty' | 'json';

/** Both `--json-logs` and `--pretty-logs` were given. */
export class LogFormatError extends Error {
  /** Stable code callers test. */
  readonly code = 'ERR_LOG_FORMAT';

  constructor() {
    super('--json-logs and --pretty-logs contradict each other: give one of them');
    this.name = 'LogFormatError';
  }
}

/**
 * The log format `npm start` uses: `--json-logs` or `--pretty-logs` when given, else `pretty`
 * on a terminal and `json` when the output goes to a pipe or a file, where a program (or
 * `grep '"msg":...'`) may read it as the services' real JSON lines.
 * @throws LogFormatError when both flags are given
 */
export function chooseLogFormat(args: readonly string[], terminal: boolean): LogFormat {
  const json = args.includes('--json-logs');
  const pretty = args.includes('--pretty-logs');
  if (json && pretty) throw new LogFormatError();
  if (json) return 'json';
  if (pretty) return 'pretty';
  return terminal ? 'pretty' : 'json';
}
