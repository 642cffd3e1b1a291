import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

/** What a raw connection to Redis got. */
export interface RawRedisOutcome {
  /** The first line of each reply (`+PONG`, `-NOAUTH ...`), in order; replies after a close are missing. */
  readonly replies: string[];
  /** Whether the server closed the connection (or it failed) before every command was answered. */
  readonly closedEarly: boolean;
  /** The connection error, when there was one (e.g. a failed TLS handshake). */
  readonly error?: string;
}

/** Options of {@link rawRedisCommands}. */
export interface RawRedisOptions {
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Speak TLS, trusting this CA file (default: plain TCP, no TLS at all). */
  tlsCaFile?: string;
  /** How long to wait for each reply (default 3 s): past it, the outcome is `closedEarly`. */
  replyTimeoutMs?: number;
}

/** RESP encoding of one command. */
function resp(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/**
 * Sends `commands` one after the other on a fresh connection to Redis, written by hand in
 * RESP (no client library that could retry, authenticate or negotiate for us), and collects
 * the first line of each reply. Used to show what the port does with a client that does not
 * speak TLS, or that speaks it without the right password.
 */
export async function rawRedisCommands(options: RawRedisOptions, commands: ReadonlyArray<readonly string[]>): Promise<RawRedisOutcome> {
  const replies: string[] = [];
  let buffered = '';
  let error: string | undefined;
  let closed = false;
  const socket: Socket | TLSSocket =
    options.tlsCaFile === undefined
      ? connectTcp({ host: '127.0.0.1', port: options.port })
      : connectTls({ host: '127.0.0.1', port: options.port, ca: readFileSync(options.tlsCaFile), servername: 'localhost' });
  const wake: Array<() => void> = [];
  const notify = () => wake.splice(0).forEach((resolve) => resolve());
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    notify();
  });
  socket.on('error', (failure: Error) => {
    error ??= failure.message;
    notify();
  });
  socket.on('close', () => {
    closed = true;
    notify();
  });
  try {
    await new Promise<void>((resolve) => {
      socket.once(options.tlsCaFile === undefined ? 'connect' : 'secureConnect', () => resolve());
      socket.once('close', () => resolve());
    });
    for (const command of commands) {
      if (closed) break;
      socket.write(resp(command));
      const deadline = Date.now() + (options.replyTimeoutMs ?? 3_000);
      while (!buffered.includes('\r\n') && !closed && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake.push(resolve);
          setTimeout(resolve, Math.max(1, deadline - Date.now())).unref();
        });
      }
      const end = buffered.indexOf('\r\n');
      if (end === -1) break;
      replies.push(buffered.slice(0, end));
      // Only simple replies (+, -, :) are expected: the rest of the buffer is the next reply.
      buffered = buffered.slice(end + 2);
    }
  } finally {
    socket.destroy();
  }
  return { replies, closedEarly: replies.length < commands.length, ...(error === undefined ? {} : { error }) };
}
