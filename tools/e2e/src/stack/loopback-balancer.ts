import { connect, createServer, type Server, type Socket } from 'node:net';

/** A client connection through the balancer. */
interface Link {
  readonly client: Socket;
  backend?: Socket;
  backendPort?: number;
}

/**
 * A TCP load balancer on 127.0.0.1, as a Kubernetes Service is in front of the gateway
 * replicas: each new connection goes to the next backend port that accepts it (round robin,
 * skipping refused ones), bytes are piped both ways, and a connection no backend accepts is
 * closed. {@link cut} destroys client connections the way a network failure would, with no
 * WebSocket close frame.
 */
export class LoopbackBalancer {
  private readonly links = new Set<Link>();
  private next = 0;
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    /** The port clients connect to. */
    readonly port: number,
    private readonly backends: () => readonly number[],
  ) {
    server.on('connection', (client) => this.route(client));
  }

  /** Listens on a free port of 127.0.0.1; `backends` is read for every new connection. */
  static async start(backends: () => readonly number[]): Promise<LoopbackBalancer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the balancer has no TCP address');
    return new LoopbackBalancer(server, address.port, backends);
  }

  /** Connections open now. */
  get open(): number {
    return this.links.size;
  }

  /** Connections accepted since the start. */
  get total(): number {
    return this.accepted;
  }

  /** Open connections per backend port. */
  openByBackend(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const link of this.links) if (link.backendPort !== undefined) counts.set(link.backendPort, (counts.get(link.backendPort) ?? 0) + 1);
    return counts;
  }

  /** Destroys up to `count` open client connections (the oldest first); resolves with how many. */
  cut(count: number): number {
    let done = 0;
    for (const link of [...this.links]) {
      if (done >= count) break;
      if (link.backend === undefined) continue;
      link.client.destroy();
      link.backend.destroy();
      done += 1;
    }
    return done;
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.backend?.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(client: Socket): void {
    this.accepted += 1;
    const link: Link = { client };
    this.links.add(link);
    client.pause();
    // Like a kernel load balancer, add no delay of its own: without this, Nagle's algorithm
    // holds small frames back by up to 40 ms.
    client.setNoDelay(true);
    client.on('error', () => undefined);
    client.once('close', () => {
      this.links.delete(link);
      link.backend?.destroy();
    });
    const ports = this.backends();
    const attempt = (tried: number): void => {
      if (client.destroyed) return;
      if (tried >= ports.length) {
        client.destroy();
        return;
      }
      const port = ports[this.next++ % ports.length] as number;
      const backend = connect({ host: '127.0.0.1', port, noDelay: true });
      backend.once('error', () => {
        if (link.backend === backend) client.destroy();
        else attempt(tried + 1);
      });
      backend.once('connect', () => {
        link.backend = backend;
        link.backendPort = port;
        backend.on('error', () => client.destroy());
        backend.once('close', () => client.destroy());
        client.pipe(backend);
        backend.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  }
}
