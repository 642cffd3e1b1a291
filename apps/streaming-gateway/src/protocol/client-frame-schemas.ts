import { z } from 'zod';
import { PROTOCOL_DEFAULTS } from './protocol-defaults';
import { isStreamId } from '@rebal/gateway-client';

/** Longest string request id. */
export const MAX_REQUEST_ID_LENGTH = 64;

/** Session ids: opaque, 8..128 characters of `[A-Za-z0-9_-]` (a UUID fits). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

/** A request id (see `RequestId`). */
export const requestIdSchema = z.union([
  z.string().min(1).max(MAX_REQUEST_ID_LENGTH),
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
]);

const channelListSchema = z.array(z.unknown()).min(1).max(PROTOCOL_DEFAULTS.maxChannelsPerFrame);

/** Wire shape of `auth` (channels and ids are checked further by `parseClientFrame`). */
export const authFrameSchema = z.object({
  op: z.literal('auth'),
  id: requestIdSchema.optional(),
  token: z.string().min(1).max(PROTOCOL_DEFAULTS.maxTokenLength),
  session: z.string().regex(SESSION_ID_PATTERN, 'expected 8..128 characters of A-Z a-z 0-9 _ -').optional(),
});

/** Wire shape of `subscribe`. */
export const subscribeFrameSchema = z.object({
  op: z.literal('subscribe'),
  id: requestIdSchema.optional(),
  channels: channelListSchema,
  since: z.record(z.string(), z.string().refine(isStreamId, 'expected a stream id "<ms>-<seq>"')).optional(),
});

/** Wire shape of `unsubscribe`. */
export const unsubscribeFrameSchema = z.object({
  op: z.literal('unsubscribe'),
  id: requestIdSchema.optional(),
  channels: channelListSchema,
});

/** Wire shape of `ping`. */
export const pingFrameSchema = z.object({
  op: z.literal('ping'),
  id: requestIdSchema.optional(),
});
