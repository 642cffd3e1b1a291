#!/usr/bin/env node
import { parseRedisConfig, type RedisConfig } from '../config';
import { createRedisConnection, waitUntilReady, type RedisConnection } from '../connection';
import { connectionTroubleshooting, isAuthError } from './connection-troubleshooting';
import { doctorUsage } from './doctor-usage';
import { formatDoctorReport } from './format-doctor-report';
import { parseDoctorArgs, type DoctorArgs } from './parse-doctor-args';
import { errorMessage } from '../replies/parse-redis-reply';
import { runDoctor } from './run-doctor';

/** Where the CLI writes: the process's streams by default, buffers in tests. */
export interface DoctorCliIo {
  /** Writes report text (or JSON). */
  stdout(text: string): void;
  /** Writes usage, configuration and connection errors. */
  stderr(text: string): void;
  /** Whether stdout is a terminal (colours on by default); default false. */
  isTTY?: boolean;
}

/** Exit codes of the doctor CLI. */
export const DOCTOR_EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

const DEFAULT_TIMEOUT_MS = 5_000;

function processIo(): DoctorCliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
  };
}

function isConfigError(error: unknown): error is Error & { code: string; variable?: string } {
  return error instanceof Error && (error as { code?: unknown }).code === 'ERR_CONFIG';
}

/** Resolves once the connection is ready; rejects on its first error or after `timeoutMs`. */
async function connect(redis: RedisConnection, timeoutMs: number): Promise<void> {
  let onError: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = reject;
    redis.once('error', onError);
  });
  failed.catch(() => undefined);
  try {
    await Promise.race([waitUntilReady(redis, timeoutMs), failed]);
  } finally {
    redis.off('error', onError);
  }
}

/** The environment with `--url` as REDIS_URL and the variables of other modes removed. */
function singleServerEnv(env: Readonly<Record<string, string | undefined>>, url: string): Record<string, string | undefined> {
  const dropped = ['CACHE_REDIS_URL', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD', 'REDIS_CLUSTER_NODES'];
  // A CA or server name only makes sense for a rediss:// URL; keep them for one.
  if (!url.trim().startsWith('rediss://')) dropped.push('REDIS_TLS_CA_FILE', 'REDIS_TLS_SERVERNAME');
  return Object.fromEntries(Object.entries({ ...env, REDIS_URL: url }).filter(([name]) => !dropped.includes(name)));
}

function fail(io: DoctorCliIo, args: Pick<DoctorArgs, 'json'>, code: number, error: Record<string, unknown>, text: string): number {
  if (args.json) io.stdout(`${JSON.stringify({ ok: false, exitCode: code, error }, null, 2)}\n`);
  else io.stderr(text);
  return code;
}

/**
 * The doctor CLI without the process around it: parses `argv`, reads the Redis settings from
 * `env` with `parseRedisConfig`, connects, runs the checks, prints the report and returns the
 * exit code (0 fit, 1 a requirement failed, 2 bad usage or configuration, 3 unreachable).
 * Every wait is bounded by `--timeout` and the connection is always closed.
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: DoctorCliIo = processIo(),
): Promise<number> {
  let args: DoctorArgs;
  try {
    args = parseDoctorArgs(argv);
  } catch (error) {
    const message = errorMessage(error);
    return fail(io, { json: argv.includes('--json') }, DOCTOR_EXIT.usage, { code: 'ERR_DOCTOR_USAGE', message }, `doctor: ${message}\nRun with --help for the usage.\n`);
  }
  if (args.help) {
    io.stdout(doctorUsage());
    return DOCTOR_EXIT.ok;
  }

  let config: RedisConfig;
  let redis: RedisConnection;
  try {
    config = parseRedisConfig(args.url ? singleServerEnv(env, args.url) : env);
    // Throws ConfigError too, e.g. for a REDIS_TLS_CA_FILE it cannot read.
    redis = createRedisConnection(config.main, { name: 'doctor', lazyConnect: true });
  } catch (error) {
    const message = errorMessage(error);
    const variable = isConfigError(error) ? error.variable : undefined;
    const code = (error as { code?: unknown }).code;
    const where = args.url && variable === 'REDIS_URL' ? ' (given with --url)' : '';
    return fail(io, args, DOCTOR_EXIT.usage, { code: typeof code === 'string' ? code : 'ERR_CONFIG', variable, message }, `doctor: bad configuration${where}: ${message}\n`);
  }

  const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = config.main.displayUrl;
  // Connection errors are reported below; without a listener ioredis would print them too
  // (also the late ones a disconnect can cause, so this listener stays).
  redis.on('error', () => undefined);
  try {
    try {
      await connect(redis, timeoutMs);
    } catch (error) {
      const message = errorMessage(error);
      const help = connectionTroubleshooting(target, message);
      const auth = isAuthError(message);
      const headline = auth ? `Redis at ${target} refused the credentials` : `cannot reach Redis at ${target}`;
      const code = auth ? 'ERR_REDIS_AUTH' : 'ERR_UNREACHABLE';
      return fail(io, args, DOCTOR_EXIT.unreachable, { code, target, message, help }, `doctor: ${headline}: ${message}\n${help}\n`);
    }
    const report = await runDoctor({ redis, streamPrefix: config.streamPrefix, timeoutMs, target });
    const color = args.color ?? (io.isTTY === true && !env['NO_COLOR']);
    io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report, { color }));
    if (!report.reachable) return DOCTOR_EXIT.unreachable;
    return report.ok ? DOCTOR_EXIT.ok : DOCTOR_EXIT.failed;
  } finally {
    redis.disconnect();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
      // Belt and braces: nothing may keep the CLI alive once it has answered.
      setTimeout(() => process.exit(code), 2_000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`doctor: unexpected error: ${errorMessage(error)}\n`);
      process.exit(DOCTOR_EXIT.failed);
    },
  );
}
