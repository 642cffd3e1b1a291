import { ServerErrorCode } from '@rebal/gateway-client';
import { type ClientFrame } from '../protocol';
import { authenticate, refreshToken } from './auth-operations';
import type { ClientConnection } from './client-connection';
import { subscribe, unsubscribe } from './subscribe-operations';

/**
 * Runs one parsed client frame on its connection (from the connection's queue, one at a
 * time): `auth` authenticates or refreshes, `subscribe`/`unsubscribe` need an authenticated
 * connection. An unexpected failure is answered with `internal_error`; the connection and
 * the process keep going.
 */
export async function handleFrame(connection: ClientConnection, frame: ClientFrame): Promise<void> {
  if (!connection.open) return;
  try {
    switch (frame.op) {
      case 'ping':
        connection.sendFrame({ type: 'pong', ...(frame.id === undefined ? {} : { id: frame.id }), time: Date.now() });
        return;
      case 'auth':
        await (connection.auth ? refreshToken(connection, frame) : authenticate(connection, frame));
        return;
      case 'subscribe':
      case 'unsubscribe':
        if (!connection.auth) {
          connection.sendError({ code: ServerErrorCode.NotAuthenticated, message: 'authenticate first', ...(frame.id === undefined ? {} : { id: frame.id }) });
          return;
        }
        await (frame.op === 'subscribe' ? subscribe(connection, frame) : unsubscribe(connection, frame));
        return;
    }
  } catch (error) {
    connection.logger.error({ err: error, op: frame.op }, 'operation failed unexpectedly');
    connection.sendError({ code: ServerErrorCode.InternalError, message: 'the operation failed; retry later', ...(frame.id === undefined ? {} : { id: frame.id }) });
  }
}
