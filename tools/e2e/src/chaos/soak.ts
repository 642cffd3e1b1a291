// `npm run soak -- --minutes 30`: see SOAK_USAGE.
import { writeFileSync } from 'node:fs';
import { formatChaosReport } from './chaos-report';
import { runChaos } from './chaos-run';
import { parseSoakArgs, SOAK_USAGE } from './soak-args';

async function main(): Promise<number> {
  let args;
  try {
    args = parseSoakArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${SOAK_USAGE}\n`);
    return 0;
  }
  const started = Date.now();
  const log = (line: string) => process.stdout.write(`[soak +${Math.round((Date.now() - started) / 1000)}s] ${line}\n`);
  const report = await runChaos({
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    calmMs: args.calmSeconds * 1000,
    faultPhaseMs: Math.round(args.minutes * 60_000),
    meanFaultGapMs: args.faultGapSeconds * 1000,
    clients: args.clients,
    symbols: args.symbols,
    log,
  });
  const text = formatChaosReport(report);
  process.stdout.write(`\n${text}\n`);
  if (args.report !== undefined) writeFileSync(args.report, `${text}\n`);
  return report.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
