// Run as its own process by reap-on-exit.int-spec.ts: starts a redis-server, prints its PID
// as one JSON line, then idles until it is killed, leaving the server behind unless the
// harness reaps it.
import { freePort } from '../free-port';
import { RedisServerProcess } from '../redis-server-process';

async function main(): Promise<void> {
  const server = new RedisServerProcess({ port: await freePort() });
  await server.start();
  process.stdout.write(`${JSON.stringify({ pid: server.pid, port: server.port, dir: server.dir })}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
