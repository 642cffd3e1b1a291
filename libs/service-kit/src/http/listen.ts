import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening HTTP server and how to stop it. */
export interface ListeningServer {
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  /** Stops accepting, lets open requests finish for `graceMs` (default 5 s), then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

/** Serves `handler` on host:port (port 0 picks a free one) and resolves once listening. */
export function listen(handler: RequestListener | Server, port: number, host = '0.0.0.0'): Promise<ListeningServer> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      let closing: Promise<void> | undefined;
      resolve({
        server,
        port: bound,
        close(graceMs = 5_000) {
          closing ??= new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            timer.unref();
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          });
          return closing;
        },
      });
    });
  });
}
