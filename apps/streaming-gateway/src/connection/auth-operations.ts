import { randomUUID } from 'node:crypto';
import { TokenError } from '@rebal/service-kit';
import { closeCodeForAuthError, protocolErrorCodeFor, type AuthError, type VerifiedToken } from '../auth';
import { isChannelGranted, parseChannel } from '../channels';
import { GatewayCloseCode, ServerErrorCode, type SessionInfo } from '@rebal/gateway-client';
import { PROTOCOL_DEFAULTS, PROTOCOL_VERSION, type AuthFrame, type RequestId } from '../protocol';
import type { SessionRecord } from '../sessions';
import type { ClientConnection } from './client-connection';

/**
 * The first `auth` of a connection (frame or `?token=`): verify the token, open or resume the
 * session, answer `welcome`. A refused token gets an `error` frame, then the close code of
 * docs/protocol.md (4001, 4003, or 1013 when the keys cannot be fetched).
 */
export async function authenticate(connection: ClientConnection, frame: AuthFrame): Promise<void> {
  const verified = await verify(connection, frame);
  if (!verified || !connection.open) return;
  connection.metAuthDeadline();
  const session = await openSession(connection, verified, frame.session);
  // Closed meanwhile: the session stays as just stored.
  if (!connection.open) return;
  connection.session = session.pending.size === 0 ? { id: session.id } : { id: session.id, pending: session.pending };
  const { limits } = connection.deps;
  connection.sendFrame({
    type: 'welcome',
    ...withId(frame.id),
    protocol: PROTOCOL_VERSION,
    session: session.info,
    subject: verified.subject,
    grants: verified.channels.map((grant) => grant.name),
    expiresAt: verified.expiresAtMs,
    heartbeatIntervalMs: limits.heartbeatIntervalMs,
    limits: {
      maxFrameBytes: limits.maxFrameBytes,
      maxSubscriptions: limits.maxSubscriptions,
      maxChannelsPerFrame: PROTOCOL_DEFAULTS.maxChannelsPerFrame,
      rateLimitPerSecond: limits.rateLimitPerSecond,
      rateLimitBurst: limits.rateLimitBurst,
    },
  });
  // After `welcome`: a token that expires within the warning lead is warned about at once,
  // and a client can act on `token_expiring` only once it holds `welcome`.
  connection.authenticated({ subject: verified.subject, grants: connection.deps.grantSets.intern(verified.channels), expiresAtMs: verified.expiresAtMs });
  if (verified.ignoredGrants.length > 0) connection.logger.info({ ignored: verified.ignoredGrants }, 'token grants this gateway does not understand were ignored');
  connection.logger.debug({ subject: verified.subject, session: session.id, resumed: session.info.resumed }, 'connection authenticated');
}

/**
 * A later `auth`: a token refresh. New grants and expiry replace the old ones at once;
 * subscriptions they no longer cover are dropped (`unsubscribed` with `reason: "revoked"`,
 * then `authenticated`). A refused refresh only gets an `error`: the old token stays.
 */
export async function refreshToken(connection: ClientConnection, frame: AuthFrame): Promise<void> {
  const current = connection.auth;
  if (!current) return;
  let verified: VerifiedToken;
  try {
    verified = await connection.deps.verifier.verify(frame.token);
  } catch (error) {
    const authError = asAuthError(error, connection);
    connection.sendError({ code: authError ? protocolErrorCodeFor(authError.code) : ServerErrorCode.InternalError, message: authError?.message ?? 'the token could not be verified', ...withId(frame.id) });
    return;
  }
  if (!connection.open) return;
  if (verified.subject !== current.subject) {
    connection.sendError({ code: ServerErrorCode.SubjectMismatch, message: 'the new token belongs to another subject; reconnect to switch users', ...withId(frame.id) });
    return;
  }
  const revoked: string[] = [];
  const session = connection.session;
  const pending = session?.pending;
  for (const channel of [...(pending?.keys() ?? [])]) if (!stillGranted(channel, verified)) pending?.delete(channel);
  if (session !== undefined && pending?.size === 0) session.pending = undefined;
  for (const subscription of connection.subscriptionList()) {
    if (isChannelGranted(subscription.channel, verified.channels)) continue;
    revoked.push(subscription.channel.name);
    connection.removeSubscription(subscription);
  }
  if (revoked.length > 0) connection.sendFrame({ type: 'unsubscribed', channels: revoked, reason: 'revoked' });
  connection.sendFrame({
    type: 'authenticated',
    ...withId(frame.id),
    subject: verified.subject,
    grants: verified.channels.map((grant) => grant.name),
    expiresAt: verified.expiresAtMs,
    revoked,
  });
  // After the reply, as for `welcome`: a `token_expiring` about the new token follows it.
  connection.authenticated({ subject: verified.subject, grants: connection.deps.grantSets.intern(verified.channels), expiresAtMs: verified.expiresAtMs });
  // The session lasts while the new token does, and no longer holds what was revoked.
  connection.saveSession();
}

async function verify(connection: ClientConnection, frame: AuthFrame): Promise<VerifiedToken | undefined> {
  try {
    return await connection.deps.verifier.verify(frame.token);
  } catch (error) {
    const authError = asAuthError(error, connection);
    connection.sendError({
      code: authError ? protocolErrorCodeFor(authError.code) : ServerErrorCode.InternalError,
      message: authError?.message ?? 'the token could not be verified',
      ...withId(frame.id),
    });
    connection.closeWith(authError ? closeCodeForAuthError(authError.code) : GatewayCloseCode.InternalError);
    return undefined;
  }
}

interface OpenedSession {
  readonly id: string;
  readonly info: SessionInfo;
  readonly pending: Map<string, string | undefined>;
}

/**
 * Resumes the requested session when it exists and has the same `sub` (keeping its channels
 * the token still grants), or starts a new one. Either way the connection takes ownership in
 * Redis at once, so an older connection on the same session stops recording it; the session
 * then lasts while the token does, plus the session TTL. With Redis unreachable a new session
 * id is handed out and written at the session's next change or when the connection closes.
 */
async function openSession(connection: ClientConnection, verified: VerifiedToken, requested: string | undefined): Promise<OpenedSession> {
  const { sessions, metrics, limits } = connection.deps;
  let stored: SessionRecord | undefined;
  if (requested !== undefined) {
    try {
      stored = await sessions.load(requested);
    } catch (error) {
      connection.logger.warn({ err: error }, 'loading the session failed; starting a new one');
    }
  }
  const adopted = requested !== undefined && stored !== undefined && stored.subject === verified.subject ? stored : undefined;
  const resumed = adopted !== undefined;
  const id = resumed && requested !== undefined ? requested : randomUUID();
  const channels = adopted ? adopted.channels.filter((name) => stillGranted(name, verified)) : [];
  const pending = new Map<string, string | undefined>(channels.map((channel) => [channel, adopted?.positions[channel]]));
  const record: SessionRecord = { subject: verified.subject, channels, positions: storedPositions(pending) };
  metrics.sessionWrites.inc();
  try {
    await sessions.save(id, connection.id, record, true, limits.sessionTtlMs + Math.max(0, verified.expiresAtMs - Date.now()));
  } catch (error) {
    metrics.sessionWriteFailures.inc();
    connection.logger.warn({ err: error, session: id }, 'storing the session failed; it is written at its next change or when the connection closes');
  }
  return { id, info: { id, resumed, channels }, pending };
}

function storedPositions(pending: ReadonlyMap<string, string | undefined>): Record<string, string> {
  const positions: Record<string, string> = {};
  for (const [channel, position] of pending) if (position !== undefined) positions[channel] = position;
  return positions;
}

function stillGranted(name: string, verified: VerifiedToken): boolean {
  const parsed = parseChannel(name);
  return parsed.ok && isChannelGranted(parsed.channel, verified.channels);
}

function asAuthError(error: unknown, connection: ClientConnection): AuthError | undefined {
  if (error instanceof TokenError) return error as AuthError;
  connection.logger.error({ err: error }, 'token verification failed unexpectedly');
  return undefined;
}

function withId(id: RequestId | undefined): { id?: RequestId } {
  return id === undefined ? {} : { id };
}
