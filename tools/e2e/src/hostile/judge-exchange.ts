import type { ExpectedReply } from './ws-frame-oracle';
import { describeFrame, type Exchange } from './ws-probe';

/** Fields docs/protocol.md lists for an `error` frame ("Error codes"). */
const ERROR_FIELDS = new Set(['type', 'id', 'code', 'message', 'channel', 'retryAfterMs']);

/**
 * Throws, describing the frame, the documented answer and what came, unless `exchange` is
 * exactly the documented answer: one reply of the expected type and code, the request id
 * echoed unchanged (or absent), only documented error fields, and the connection still open
 * unless the answer closes it.
 */
export function judgeExchange(frame: { data: string | Uint8Array; binary: boolean }, expected: ExpectedReply, exchange: Exchange): void {
  const problems: string[] = [];
  const [reply, ...more] = exchange.replies;
  if (reply === undefined) problems.push('no reply');
  if (more.length > 0) problems.push(`${more.length} extra replies`);
  if (reply !== undefined) {
    if (reply['type'] !== expected.type) problems.push(`type ${String(reply['type'])}`);
    if (expected.type === 'error') {
      if (!expected.codes.includes(String(reply['code']))) problems.push(`code ${String(reply['code'])}`);
      if (typeof reply['message'] !== 'string') problems.push('no message');
      const unknown = Object.keys(reply).filter((key) => !ERROR_FIELDS.has(key));
      if (unknown.length > 0) problems.push(`undocumented fields ${unknown.join(', ')}`);
    }
    if (expected.id === undefined ? Object.hasOwn(reply, 'id') : reply['id'] !== expected.id) problems.push(`id ${JSON.stringify(reply['id'])}`);
  }
  const closes = expected.type === 'error' ? expected.close : undefined;
  if (closes === undefined && exchange.close !== undefined) problems.push(`the connection closed with ${exchange.close.code} ${exchange.close.reason}`);
  if (problems.length > 0) {
    throw new Error(
      `${describeFrame(frame)}\n  documented: ${JSON.stringify(expected)}\n  got: ${JSON.stringify(exchange.replies).slice(0, 600)}${exchange.close ? ` then close ${exchange.close.code}` : ''}\n  (${problems.join('; ')})`,
    );
  }
}
