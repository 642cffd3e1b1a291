import type { RedisConnection } from '@rebal/redis-client';
import type { E2eStack } from '../stack';
import type { RecordingClient } from './recording-client';
import type { StreamTap } from './stream-tap';
import { readConsumption } from './checks/consumption';

const ALL_CAUGHT_UP = 'every client has every event of every channel';

/**
 * Waits, until `deadlineMs`, for the system to converge after the faults: every running
 * replica ready and every client connected; the alert service's groups with nothing unread or
 * unacknowledged; only the running gateways' fan-out groups left (the health monitor reaped
 * the killed ones); and every client holding the last event of each of its channels.
 * Resolves with the conditions still unmet at the deadline (empty when it converged).
 */
export async function settle(stack: E2eStack, admin: RedisConnection, tap: StreamTap, clients: readonly RecordingClient[], channels: readonly string[], deadlineMs: number): Promise<string[]> {
  let unmet: string[] = [];
  do {
    unmet = await unmetConditions(stack, admin, tap, clients, channels);
    if (unmet.length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadlineMs);
  return unmet;
}

async function unmetConditions(stack: E2eStack, admin: RedisConnection, tap: StreamTap, clients: readonly RecordingClient[], channels: readonly string[]): Promise<string[]> {
  const unmet: string[] = [];
  try {
    const notReady = await stack.notReady();
    if (notReady.length > 0) unmet.push(`not ready: ${notReady.join(', ')}`);
    const disconnected = clients.filter((client) => client.state !== 'authenticated').length;
    if (disconnected > 0) unmet.push(`${disconnected} client(s) not connected`);
    const consumption = await readConsumption(admin);
    if (consumption.lag > 0 || consumption.pending > 0) unmet.push(`alert service: ${consumption.lag} unread, ${consumption.pending} unacknowledged`);
    const groups = (await admin.xinfo('GROUPS', 'market_data')) as unknown[][];
    const gatewayGroups = groups.map((group) => String(group[1])).filter((name) => name.startsWith('gateway.'));
    const live = stack.replicasOf('streaming-gateway').filter((r) => r.running).map((r) => `gateway.${r.instanceId}`);
    const stale = gatewayGroups.filter((name) => !live.includes(name));
    if (stale.length > 0) unmet.push(`fan-out groups of gone gateways not reaped yet: ${stale.join(', ')}`);
    for (const channel of channels) {
      const [last] = (await admin.xrevrange(channel, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
      if (last !== undefined && last[0] !== tap.lastId(channel)) unmet.push(`the stream tap has not read ${channel} to its end`);
    }
    const behind = clients.filter((client) => channels.some((channel) => {
      const ids = tap.validIds(channel);
      const last = ids[ids.length - 1];
      return last !== undefined && client.lastId(channel) !== last;
    }));
    if (behind.length > 0) unmet.push(`${behind.length} client(s) without the last event of a channel (${ALL_CAUGHT_UP})`);
  } catch (error) {
    unmet.push(`cannot read the state: ${(error as Error).message}`);
  }
  return unmet;
}
