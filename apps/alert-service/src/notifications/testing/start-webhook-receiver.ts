import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedWebhook {
  /** Request path, e.g. `/ops`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw body text. */
  body: string;
  /** Arrival time, epoch ms. */
  at: number;
  /** The status the receiver answered (undefined while the answer is held). */
  status?: number;
}

/** How to answer a request: a status and headers, or `hold` to leave it unanswered until `release`/`close`. */
export type WebhookAnswer = { status: number; headers?: Record<string, string> } | 'hold';

/** A real HTTP webhook receiver on 127.0.0.1 for tests. */
export interface WebhookReceiver {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received so far, in arrival order. */
  readonly requests: ReceivedWebhook[];
  /** Answers the held requests with `status`. */
  release(status: number): void;
  /** Stops listening and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a webhook receiver on 127.0.0.1, port 0. `answer` decides each response from the
 * request and how many earlier requests carried the same `x-rebal-delivery` header.
 */
export async function startWebhookReceiver(answer: (request: ReceivedWebhook, previousAttempts: number) => WebhookAnswer): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const held: Array<{ request: ReceivedWebhook; res: ServerResponse }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedWebhook = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const delivery = req.headers['x-rebal-delivery'];
      const previous = requests.filter((r) => r.headers['x-rebal-delivery'] === delivery).length;
      requests.push(request);
      const decision = answer(request, previous);
      if (decision === 'hold') {
        held.push({ request, res });
        return;
      }
      request.status = decision.status;
      res.writeHead(decision.status, decision.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    release(status: number) {
      for (const { request, res } of held.splice(0)) {
        request.status = status;
        res.writeHead(status).end();
      }
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
