import Redis from 'ioredis';
import type { RedisTestNode } from './redis-test-server';
import { waitFor } from './wait-for';

/** Options for {@link waitForClusterOk}. */
export interface WaitForClusterOkOptions {
  /** How long to keep polling before failing (default 20 s). */
  timeoutMs?: number;
  /** Pause between two polls (default 100 ms). */
  intervalMs?: number;
}

/** The `field:value` lines of a `CLUSTER INFO` reply as a map. */
function parseClusterInfo(reply: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of reply.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * Polls `CLUSTER INFO` on every node until each one reports `cluster_state:ok` and knows
 * all the others, or fails with what each node said last once `timeoutMs` has passed.
 */
export async function waitForClusterOk(
  nodes: ReadonlyArray<RedisTestNode>,
  { timeoutMs = 20_000, intervalMs = 100 }: WaitForClusterOkOptions = {},
): Promise<void> {
  const clients = nodes.map(
    ({ host, port }) =>
      new Redis({ host, port, lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 1, retryStrategy: () => 100 }),
  );
  // Connection errors are expected while nodes start; the poll reports them.
  for (const client of clients) client.on('error', () => undefined);
  const lastSeen = nodes.map(() => 'no answer yet');
  try {
    await waitFor(
      async () => {
        const answers = await Promise.all(
          clients.map(async (client, index) => {
            try {
              const info = parseClusterInfo(String(await client.call('CLUSTER', 'INFO')));
              const state = info.get('cluster_state');
              const known = Number(info.get('cluster_known_nodes'));
              lastSeen[index] = `cluster_state:${state}, cluster_known_nodes:${known}`;
              return state === 'ok' && known === nodes.length;
            } catch (error) {
              lastSeen[index] = error instanceof Error ? error.message : String(error);
              return false;
            }
          }),
        );
        return answers.every(Boolean);
      },
      {
        timeoutMs,
        intervalMs,
        message: () =>
          `redis cluster not ok (${nodes.map((node, index) => `${node.host}:${node.port} ${lastSeen[index]}`).join('; ')})`,
      },
    );
  } finally {
    for (const client of clients) client.disconnect();
  }
}
