// A TCP proxy in front of a gateway whose link to the client can stall: the gateway's bytes
// are still read (its send buffer empties, as with data sitting in the network), but the
// client never gets them. Then the link can be cut, as a dead network path ends.
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A proxy on 127.0.0.1 (port 0) to `127.0.0.1:<targetPort>`. */
export class StallableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  private held: Buffer[] = [];

  private constructor(server: Server) {
    this.server = server;
  }

  /** Starts a proxy to `targetPort`. */
  static async start(targetPort: number): Promise<StallableProxy> {
    const server = createServer();
    const proxy = new StallableProxy(server);
    server.on('connection', (client) => proxy.pipe(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The port clients connect to. */
  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening');
    return address.port;
  }

  /** From now on what the gateway sends is swallowed: read from the gateway, never written to the client. */
  stall(): void {
    this.stalled = true;
  }

  /** What the gateway sent since the stall, as text (WebSocket frames of text messages). */
  heldText(): string {
    return Buffer.concat(this.held).toString('latin1');
  }

  /** Destroys every connection at once, no close handshake, no FIN: a dead path. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Cuts every connection and stops listening. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (this.stalled) this.held.push(chunk);
      else client.write(chunk);
    });
  }
}
