import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { silentLogger, type Logger } from '@rebal/redis-client';
import { WebSocketServer, type Server as WsServer } from 'ws';
import { WS_PATH } from '../protocol';
import { GatewaySocket } from './gateway-socket';
import { redactToken } from './redact-token';
import { isUpgradeOriginAllowed } from './upgrade-origin';

/** Options of {@link WebSocketEndpoint}. */
export interface WebSocketEndpointOptions {
  /** The HTTP server whose upgrades are handled. */
  readonly server: Server;
  /** Path of the endpoint (default `/ws`). */
  readonly path?: string;
  /** Browser origins allowed besides the gateway's own host (`CORS_ORIGINS`); see `isUpgradeOriginAllowed`. */
  readonly allowedOrigins: readonly string[];
  /** Hard inbound frame cap handed to `ws` (`maxPayload`): above it `ws` closes with 1009. */
  readonly maxPayloadBytes: number;
  /**
   * Called for every accepted connection, with the upgrade request. Keep nothing of the
   * request: it is dropped once this returns (it holds the headers, the URL and more).
   */
  readonly onConnection: (ws: GatewaySocket, request: IncomingMessage) => void;
  /** Logger (default: silent). */
  readonly logger?: Logger;
}

/**
 * The `/ws` endpoint on an HTTP server: upgrades on that path become WebSocket connections
 * (`GatewaySocket`s, no compression, pings answered by the socket itself; UTF-8 is checked by
 * the frame parser). Upgrades on other paths get 404,
 * every upgrade gets 503 once `stopAccepting()` was called, and one from a browser page of an
 * origin not allowed gets 403 (`isUpgradeOriginAllowed`). Logged URLs never show a `?token=`.
 */
export class WebSocketEndpoint {
  private readonly options: WebSocketEndpointOptions;
  private readonly wss: WsServer<typeof GatewaySocket>;
  private readonly logger: Logger;
  private accepting = true;

  constructor(options: WebSocketEndpointOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger();
    this.wss = new WebSocketServer<typeof GatewaySocket>({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      perMessageDeflate: false,
      WebSocket: GatewaySocket,
      // GatewaySocket answers pings itself: ws's automatic pong costs a closure per socket.
      autoPong: false,
      clientTracking: false,
      // Text that is not UTF-8 is answered with `invalid_json` by the frame parser instead of a 1007 close.
      skipUTF8Validation: true,
    });
    options.server.on('upgrade', this.onUpgrade);
  }

  /** Refuses new upgrades from now on (shutdown). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Detaches from the HTTP server. Idempotent. */
  close(): void {
    this.accepting = false;
    this.options.server.off('upgrade', this.onUpgrade);
    this.wss.close();
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A shared listener: a closure here would keep this call's scope, the request included, for the socket's life.
    socket.on('error', this.onSocketError);
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (path !== (this.options.path ?? WS_PATH)) {
      this.refuse(socket, 404, 'Not Found');
      return;
    }
    if (!this.accepting) {
      this.refuse(socket, 503, 'Service Unavailable');
      return;
    }
    if (!isUpgradeOriginAllowed(request.headers, this.options.allowedOrigins)) {
      this.logger.debug({ origin: request.headers.origin }, 'WebSocket upgrade refused: its Origin is not allowed (CORS_ORIGINS)');
      this.refuse(socket, 403, 'Forbidden');
      return;
    }
    this.logger.debug({ url: redactToken(request.url) }, 'WebSocket upgrade');
    this.wss.handleUpgrade(request, socket, head, this.onUpgraded);
  };

  private readonly onUpgraded = (ws: GatewaySocket, request: IncomingMessage): void => {
    this.options.onConnection(ws, request);
  };

  private readonly onSocketError = (error: Error): void => {
    this.logger.debug({ err: error }, 'upgrade socket error');
  };

  private refuse(socket: Duplex, status: number, text: string): void {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
}
