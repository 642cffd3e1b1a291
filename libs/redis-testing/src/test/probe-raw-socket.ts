import { connect } from 'node:net';

/** What a plain-TCP client saw: the bytes it got back and how the connection ended. */
export interface RawSocketOutcome {
  /** Everything the server sent back, as text. */
  received: string;
  /** `closed` when the server hung up, else the socket error code (e.g. `ECONNREFUSED`) or `timeout`. */
  end: string;
}

/**
 * Opens a plain TCP connection to `port`, sends `payload` and collects the answer until
 * the server closes the connection, the socket fails, or `timeoutMs` passes.
 */
export function probeRawSocket(port: number, payload: string, timeoutMs = 5_000): Promise<RawSocketOutcome> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(port, '127.0.0.1');
    const finish = (end: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, end });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.on('close', () => finish('closed'));
  });
}
