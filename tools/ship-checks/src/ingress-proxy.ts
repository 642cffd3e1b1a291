import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { ingressBackendFor } from './ingress-route';

/** Options of {@link IngressProxy.start}. */
export interface IngressProxyOptions {
  /** The rendered Ingress whose rules route the requests. */
  readonly ingress: IIngress;
  /** The port on 127.0.0.1 of each backend Service, by Service name. */
  readonly backends: Readonly<Record<string, number>>;
  /** The host requests are forwarded with, as the browser sent it to the Ingress (default: the first rule's host). */
  readonly host?: string;
}

/** The request head as the backend receives it: the client's headers, with the public host. */
function forwardedHeaders(headers: IncomingHttpHeaders, host: string | undefined): IncomingHttpHeaders {
  return host === undefined ? headers : { ...headers, host };
}

/**
 * An HTTP and WebSocket reverse proxy on 127.0.0.1 that routes as a rendered Ingress does
 * ({@link ingressBackendFor}): a request whose path no rule matches gets 404, as from the
 * controller's default backend; others go to their Service's process, WebSocket upgrades
 * included, with the Host header of the public name as ingress-nginx forwards it.
 */
export class IngressProxy {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** The port clients connect to. */
    readonly port: number,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on a free port of 127.0.0.1. */
  static async start(options: IngressProxyOptions): Promise<IngressProxy> {
    const host = options.host ?? options.ingress.spec?.rules?.[0]?.host;
    const target = (url: string | undefined): number | undefined => {
      const service = ingressBackendFor(options.ingress, new URL(url ?? '/', 'http://ingress').pathname, host);
      return service === undefined ? undefined : options.backends[service.name];
    };
    const server = createServer((request, response) => {
      const port = target(request.url);
      if (port === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('default backend - 404');
        return;
      }
      const upstream = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.url, headers: forwardedHeaders(request.headers, host) }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.once('error', () => response.headersSent ? response.destroy() : response.writeHead(502).end());
      request.pipe(upstream);
    });
    server.on('upgrade', (request, client: Socket, head: Buffer) => {
      client.on('error', () => undefined);
      const port = target(request.url);
      if (port === undefined) {
        client.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = connect(port, '127.0.0.1', () => {
        const headers = Object.entries(forwardedHeaders(request.headers, host)).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((item) => `${name}: ${item}\r\n`));
        upstream.write(`${request.method} ${request.url} HTTP/1.1\r\n${headers.join('')}\r\n`);
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.once('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return new IngressProxy(server, (server.address() as AddressInfo).port);
  }

  /** Stops listening and destroys every open connection. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
