import type { ClientCommand, ClientReport } from './ipc';
import { LatencyHistogram } from './latency-histogram';
import { nowUs } from './monotonic-clock';

/** One open, subscribed benchmark connection. */
export interface BenchClient {
  /** Closes it; resolves once closed (or after a deadline). */
  close(): Promise<void>;
}

/** What a connection reports to the driver. */
export interface ClientEvents {
  /** One delivery: its publish time (monotonic µs) and its frame's size in bytes (0 when unknown). */
  delivered(publishedUs: number, frameBytes: number): void;
  /** The server closed the connection (`reason`: a close code or a disconnect reason). */
  lost(reason: string): void;
}

/**
 * Opens connection number `index`, authenticated and subscribed to market data, and resolves
 * once it is ready to receive; rejects on refusal.
 */
export type OpenClient = (index: number, events: ClientEvents) => Promise<BenchClient>;

const CONNECT_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))),
  ]);
}

function report(message: ClientReport): void {
  process.send?.(message);
}

/**
 * The body of a client load generator process: opens and closes connections on the bench's
 * commands, counts deliveries and their latency inside a measurement window, and reports
 * over IPC. Exits when the bench disconnects.
 */
export function runClientProcess(open: OpenClient): void {
  const clients: BenchClient[] = [];
  let nextIndex = 0;
  let window: { startUs: number; endUs: number } | undefined;
  let histogram = new LatencyHistogram();
  let inWindow = 0;
  let afterWindow = 0;
  let frameBytes = 0;
  let lost: Record<string, number> = {};

  const events: ClientEvents = {
    delivered(publishedUs, bytes) {
      if (!window) return;
      const now = nowUs();
      if (now < window.startUs) return;
      if (now > window.endUs) {
        afterWindow++;
        return;
      }
      inWindow++;
      histogram.record(now - publishedUs);
      if (frameBytes === 0) frameBytes = bytes;
    },
    lost(reason) {
      lost[reason] = (lost[reason] ?? 0) + 1;
    },
  };

  async function connect(count: number, concurrency: number): Promise<void> {
    const began = nowUs();
    const target = nextIndex + count;
    let failed = 0;
    let firstError: string | undefined;
    const worker = async (): Promise<void> => {
      while (nextIndex < target) {
        const index = nextIndex++;
        try {
          clients.push(await withTimeout(open(index, events), CONNECT_TIMEOUT_MS, `connection ${index}`));
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
    report({ type: 'connected', open: clients.length, failed, ...(firstError === undefined ? {} : { firstError }), seconds: (nowUs() - began) / 1e6 });
  }

  async function close(keep: number): Promise<void> {
    const closing = clients.splice(Math.max(0, keep));
    await Promise.all(closing.map((client) => withTimeout(client.close(), 10_000, 'close').catch(() => undefined)));
    report({ type: 'closed', open: clients.length });
  }

  function measure(startUs: number, endUs: number, drainMs: number): void {
    histogram = new LatencyHistogram();
    inWindow = 0;
    afterWindow = 0;
    window = { startUs, endUs };
    const waitMs = Math.max(0, (endUs - nowUs()) / 1_000) + drainMs;
    setTimeout(() => {
      window = undefined;
      report({ type: 'window', deliveries: inWindow, histogram: histogram.toJSON(), afterWindow, lost, frameBytes });
      lost = {};
    }, waitMs);
  }

  let queue = Promise.resolve();
  process.on('message', (message: ClientCommand) => {
    // `window` must start at once (it is timed); connect and close run one after the other.
    if (message.cmd === 'window') {
      measure(message.startUs, message.endUs, message.drainMs);
      return;
    }
    queue = queue.then(async () => {
      if (message.cmd === 'connect') await connect(message.count, message.concurrency);
      else if (message.cmd === 'close') await close(message.keep);
      else if (message.cmd === 'exit') {
        await close(0);
        process.exit(0);
      }
    });
  });
  process.on('disconnect', () => process.exit(0));
  report({ type: 'ready' });
}
