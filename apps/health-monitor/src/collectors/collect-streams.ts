import { dlqKey, type RedisConnection } from '@rebal/redis-client';
import { parseStreamFull } from './parse-stream-full';
import { replyErrorMessage as errorMessage } from '@rebal/redis-client';
import type { StreamReport } from './stream-report';
import { withTimeout } from './with-timeout';

/** A stream to watch: its name and its key (prefix included). */
export interface WatchedStream {
  name: string;
  key: string;
}

/** Options of {@link collectStreams}. */
export interface CollectStreamsOptions {
  /** Deadline of the whole collection in ms. */
  timeoutMs: number;
  /** The Redis server's clock now, in ms (consumer idle times are computed against it). */
  serverNowMs: number;
}

async function inspect(conn: RedisConnection, stream: WatchedStream, options: CollectStreamsOptions): Promise<StreamReport> {
  const dlq = dlqKey(stream.key);
  const report: StreamReport = { ...stream, exists: false, length: 0, entriesAdded: null, groups: [], dlq: { key: dlq, length: 0 } };
  const [full, dlqLength] = await Promise.allSettled([
    withTimeout(conn.call('XINFO', 'STREAM', stream.key, 'FULL', 'COUNT', '1'), options.timeoutMs, `XINFO STREAM ${stream.key}`),
    withTimeout(conn.xlen(dlq), options.timeoutMs, `XLEN ${dlq}`),
  ]);
  const errors: string[] = [];
  if (full.status === 'fulfilled') {
    Object.assign(report, parseStreamFull(full.value, options.serverNowMs), { exists: true });
  } else if (!/no such key/i.test(errorMessage(full.reason))) {
    errors.push(`${stream.key}: ${errorMessage(full.reason)}`);
  }
  if (dlqLength.status === 'fulfilled') report.dlq.length = dlqLength.value;
  else errors.push(`${dlq}: ${errorMessage(dlqLength.reason)}`);
  if (errors.length > 0) report.error = errors.join('; ');
  return report;
}

/**
 * Reads every watched stream with two commands each, all sent at once (one round trip per
 * node): `XINFO STREAM <key> FULL COUNT 1` and `XLEN <key>:dlq`. Single-key commands only,
 * so it works through a Cluster. Never throws: a stream that cannot be read carries `error`;
 * a missing stream is reported with `exists: false`.
 */
export function collectStreams(conn: RedisConnection, streams: readonly WatchedStream[], options: CollectStreamsOptions): Promise<StreamReport[]> {
  return Promise.all(streams.map((stream) => inspect(conn, stream, options)));
}
