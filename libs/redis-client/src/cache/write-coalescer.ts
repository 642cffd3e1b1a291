import type { Writable } from 'node:stream';
import type { RedisConnection } from '../connection/redis-connection';

/**
 * Sends the commands one tick of the event loop writes to a single-server connection in one
 * system call: the first {@link cork} of a tick corks the connection's socket, and the socket
 * is uncorked once the tick's promise callbacks have run. Bytes and order on the wire stay
 * the same; what changes is one `writev` for the GETs and SETs that many concurrent callers
 * issue in one burst instead of one `write` each, which on loopback costs more than the
 * command itself. A Cluster routes each command to its node's socket itself: nothing is
 * corked there.
 */
export class WriteCoalescer {
  private corked: Writable | undefined;

  constructor(private readonly redis: RedisConnection) {}

  /** Holds back this tick's writes on the connection's socket, if it has one and is ready. */
  cork(): void {
    if (this.corked || this.redis.isCluster || this.redis.status !== 'ready') return;
    const { stream } = this.redis as { stream?: Writable };
    if (!stream || stream.writableCorked > 0) return;
    stream.cork();
    this.corked = stream;
    // Runs once the current callbacks and every promise callback they queued have run.
    process.nextTick(this.uncork);
  }

  private readonly uncork = (): void => {
    const stream = this.corked;
    this.corked = undefined;
    stream?.uncork();
  };
}
