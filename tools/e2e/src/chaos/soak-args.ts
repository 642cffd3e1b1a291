/** The settings of a soak run, from its command line. */
export interface SoakArgs {
  /** Length of the fault phase, minutes. */
  readonly minutes: number;
  readonly seed: number | undefined;
  readonly clients: number;
  readonly symbols: number;
  /** Calm phase before the faults, seconds. */
  readonly calmSeconds: number;
  /** Mean gap between faults, seconds. */
  readonly faultGapSeconds: number;
  /** Also write the report to this file. */
  readonly report: string | undefined;
  readonly help: boolean;
}

/** `npm run soak -- --help`. */
export const SOAK_USAGE = `Usage: npm run soak -- [options]

Runs the whole stack on loopback (TLS Redis with ACL users, two alert-service and two gateway
replicas, the health monitor, the simulator), connects WebSocket clients that record every
event, injects seeded faults (replica SIGKILL, rolling SIGTERM restarts, Redis SIGKILL and
restart from AOF, Redis SIGSTOP, client connection cuts) and prints what was lost, duplicated
or late. Exits 1 when a promise was broken.

Options:
  --minutes N          length of the fault phase (default 30)
  --seed N             seed of the faults and prices (default: random; printed, so a run can be replayed)
  --clients N          WebSocket clients (default 25)
  --symbols N          driven symbols, one alert rule each (default 12)
  --calm-seconds N     no-fault phase before the first fault, the latency baseline (default 30)
  --fault-gap-seconds N  mean time between faults (default 20)
  --report FILE        also write the Markdown report to FILE
  --help               this text`;

/** Parses the soak command line; throws an Error naming the bad option. */
export function parseSoakArgs(argv: readonly string[]): SoakArgs {
  const values = new Map<string, string>();
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    if (!['--minutes', '--seed', '--clients', '--symbols', '--calm-seconds', '--fault-gap-seconds', '--report'].includes(name)) {
      throw new Error(`unknown option ${name} (see --help)`);
    }
    const value = inline ?? argv[++index];
    if (value === undefined) throw new Error(`${name} needs a value`);
    values.set(name, value);
  }
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const text = values.get(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, got ${text}`);
    return value;
  };
  const seedText = values.get('--seed');
  return {
    minutes: number('--minutes', 30, 1.5, 24 * 60),
    seed: seedText === undefined ? undefined : Math.trunc(number('--seed', 0, 0, 2 ** 31 - 1)),
    clients: Math.trunc(number('--clients', 25, 1, 2_000)),
    symbols: Math.trunc(number('--symbols', 12, 4, 500)),
    calmSeconds: number('--calm-seconds', 30, 5, 3_600),
    faultGapSeconds: number('--fault-gap-seconds', 20, 12, 3_600),
    report: values.get('--report'),
    help,
  };
}
