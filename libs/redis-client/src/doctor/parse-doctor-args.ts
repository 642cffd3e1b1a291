/** The doctor CLI's command line, parsed. */
export interface DoctorArgs {
  /** `--help` / `-h`: print the usage and exit 0. */
  help: boolean;
  /** `--json`: print the report as JSON. */
  json: boolean;
  /** `--url <redis-url>`: check this single server instead of the environment's Redis. */
  url?: string;
  /** `--timeout <ms>`: bound for connecting and for the checks, each. */
  timeoutMs?: number;
  /** `--color` / `--no-color`: force ANSI colours on or off (default: on for a terminal). */
  color?: boolean;
}

/** Thrown for a command line the doctor does not understand (exit code 2). */
export class DoctorUsageError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_DOCTOR_USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'DoctorUsageError';
  }
}

/** An argument worth naming in a message: an option name, never a value that could hold a password. */
const OPTION_NAME = /^--?[A-Za-z][A-Za-z-]{0,30}$/;

/** Parses `--help`, `--json`, `--url <u>`, `--timeout <ms>`, `--[no-]color` (also `--name=value`). */
export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  const args: DoctorArgs = { help: false, json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new DoctorUsageError(`${name} needs a value`);
      i += 1;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--json':
        args.json = true;
        break;
      case '--color':
        args.color = true;
        break;
      case '--no-color':
        args.color = false;
        break;
      case '--url':
        args.url = value();
        if (!args.url) throw new DoctorUsageError('--url needs a value');
        break;
      case '--timeout': {
        const raw = value();
        const ms = Number(raw);
        // The value is not echoed: a URL given in the wrong place would print its password.
        if (!/^\d+$/.test(raw) || ms <= 0) throw new DoctorUsageError('--timeout must be a positive number of milliseconds');
        args.timeoutMs = ms;
        break;
      }
      default:
        throw new DoctorUsageError(
          OPTION_NAME.test(name)
            ? `unknown argument "${name}"`
            : 'unexpected argument (not shown: it may hold a password); a Redis URL is given with --url <redis-url>',
        );
    }
  }
  return args;
}
