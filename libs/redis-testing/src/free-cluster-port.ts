import { createServer } from 'node:net';
import { freePort } from './free-port';

/** Redis Cluster listens for its bus on the client port + 10000, so client ports stop here. */
const MAX_CLUSTER_PORT = 65_535 - 10_000;

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port for a Redis Cluster node: at most 55535, and with its cluster bus port
 * (port + 10000) free as well. `exclude` lists ports already handed out to other nodes.
 */
export async function freeClusterPort(exclude: ReadonlyArray<number> = []): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await freePort();
    if (port > MAX_CLUSTER_PORT || exclude.includes(port) || exclude.includes(port + 10_000)) continue;
    if (exclude.some((taken) => taken + 10_000 === port)) continue;
    if (await isPortFree(port + 10_000)) return port;
  }
  throw new Error('no free port pair (port and port + 10000) for a Redis Cluster node');
}
