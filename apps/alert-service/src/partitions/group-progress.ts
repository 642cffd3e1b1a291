import { join } from 'node:path';
import { LuaScript, parseFlatMap, replyErrorMessage, toNumberOrNull, type RedisConnection } from '@rebal/redis-client';
import type { StreamMark } from './partition-leases';

const ADVANCE = new LuaScript(join(__dirname, 'advance-group.lua'));

/**
 * The alert tier's progress on its input streams, kept in the consumer group `alert-service`
 * so the health monitor, the fault-injection checks and operators see the tier's lag where they
 * always did. Replicas read with XREAD from their own positions; the group's last-delivered-id
 * is moved by the holder of partition 0 to the lowest high-water mark of all partitions, where
 * every event before it is applied. Nothing is ever pending in the group.
 */
export class GroupProgress {
  private readonly advanced = new Map<string, string>();

  /**
   * @param redis the command connection
   * @param group the group (`alert-service`)
   */
  constructor(
    private readonly redis: RedisConnection,
    private readonly group: string,
  ) {}

  /**
   * Creates the group on `stream` at its end unless it exists; returns its last-delivered-id and
   * entries-read (`null` when Redis cannot tell): where a replica starts reading.
   */
  async position(stream: string): Promise<StreamMark> {
    try {
      await this.redis.xgroup('CREATE', stream, this.group, '$', 'MKSTREAM');
    } catch (error) {
      if (!replyErrorMessage(error).startsWith('BUSYGROUP')) throw error;
    }
    const groups = (await this.redis.xinfo('GROUPS', stream)) as unknown[];
    for (const reply of groups) {
      const fields = parseFlatMap(reply);
      if (fields['name'] === this.group) return { id: String(fields['last-delivered-id']), entriesRead: toNumberOrNull(fields['entries-read']) };
    }
    return { id: '0-0', entriesRead: null };
  }

  /** Moves the group on `stream` forward to `mark` (never back); one script call, skipped when it is there already. */
  async advance(stream: string, mark: StreamMark): Promise<void> {
    if (this.advanced.get(stream) === mark.id) return;
    await ADVANCE.run(this.redis, [stream], [this.group, mark.id, mark.entriesRead ?? '']);
    this.advanced.set(stream, mark.id);
  }
}
