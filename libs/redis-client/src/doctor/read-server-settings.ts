import type { Redis } from 'ioredis';
import type { Deadline } from './with-deadline';
import { errorMessage, parseInfo, toNumberOrNull } from '../replies/parse-redis-reply';

/** What the doctor read from one Redis server, before judging it. */
export interface ServerSettings {
  /** `redis_version` from INFO. */
  version?: string;
  /** `yes` / `no`, from CONFIG GET or INFO `aof_enabled`. */
  appendonly?: string;
  /** `always` / `everysec` / `no`; only CONFIG GET knows it. */
  appendfsync?: string;
  /** INFO `aof_last_write_status` (`ok` / `err`). */
  aofLastWriteStatus?: string;
  /** Bytes; 0 means no limit. */
  maxmemory?: number;
  maxmemoryPolicy?: string;
  /** INFO `used_memory`, bytes. */
  usedMemory?: number;
  /** Round trips of consecutive PINGs, in milliseconds. */
  latencySamplesMs: number[];
  /** Why CONFIG GET could not be used (disabled or renamed on managed Redis, missing ACL permission). */
  configError?: string;
  /** Why INFO could not be read. */
  infoError?: string;
  /** Why the latency could not be measured. */
  latencyError?: string;
}

/** Options for {@link readServerSettings}. */
export interface ReadServerSettingsOptions {
  /** Shared deadline of the doctor run. */
  deadline: Deadline;
  /** PINGs to time (default 5). */
  pingSamples?: number;
}

async function measureLatency(node: Redis, deadline: Deadline, samples: number): Promise<number[]> {
  const timings: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = process.hrtime.bigint();
    await deadline.within(node.ping(), 'PING');
    timings.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return timings;
}

async function configGet(node: Redis, deadline: Deadline, name: string): Promise<string | undefined> {
  const reply = await deadline.within(node.call('CONFIG', 'GET', name), `CONFIG GET ${name}`);
  // ['name', 'value'], or [] when the parameter does not exist.
  return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : undefined;
}

/**
 * Reads what the doctor judges on one server: version, AOF settings, memory policy and usage,
 * and PING latency. CONFIG GET is tried first; where it is disabled (managed Redis renames or
 * forbids it) the same facts come from `INFO persistence` / `INFO memory`. Never throws: what
 * cannot be read is left undefined with the reason.
 */
export async function readServerSettings(node: Redis, options: ReadServerSettingsOptions): Promise<ServerSettings> {
  const { deadline } = options;
  const settings: ServerSettings = { latencySamplesMs: [] };
  try {
    settings.latencySamplesMs = await measureLatency(node, deadline, options.pingSamples ?? 5);
  } catch (error) {
    settings.latencyError = errorMessage(error);
  }

  let info: Record<string, string> = {};
  try {
    info = parseInfo(await deadline.within(node.info(), 'INFO'));
  } catch (error) {
    settings.infoError = errorMessage(error);
  }
  settings.version = info['redis_version'];
  settings.aofLastWriteStatus = info['aof_last_write_status'];
  settings.usedMemory = toNumberOrNull(info['used_memory']) ?? undefined;

  try {
    const [appendonly, appendfsync, maxmemory, policy] = await Promise.all(
      ['appendonly', 'appendfsync', 'maxmemory', 'maxmemory-policy'].map((name) => configGet(node, deadline, name)),
    );
    settings.appendonly = appendonly;
    settings.appendfsync = appendfsync;
    settings.maxmemory = toNumberOrNull(maxmemory) ?? undefined;
    settings.maxmemoryPolicy = policy;
  } catch (error) {
    settings.configError = errorMessage(error);
  }

  // INFO fills in whatever CONFIG could not tell.
  if (settings.appendonly === undefined && info['aof_enabled'] !== undefined) {
    settings.appendonly = info['aof_enabled'] === '1' ? 'yes' : 'no';
  }
  settings.maxmemory ??= toNumberOrNull(info['maxmemory']) ?? undefined;
  settings.maxmemoryPolicy ??= info['maxmemory_policy'];
  return settings;
}
