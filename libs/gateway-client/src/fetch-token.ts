import { GatewayClientError } from './gateway-client-error';
import type { TokenSource } from './gateway-client-options';
import { messageOf } from './socket-helpers';

/** The token from `source`: the string itself, or what the function returns. Throws `token_unavailable` when the function fails. */
export async function fetchToken(source: TokenSource): Promise<string> {
  if (typeof source === 'string') return source;
  let token: unknown;
  try {
    token = await source();
  } catch (error) {
    throw new GatewayClientError('token_unavailable', `the token function failed: ${messageOf(error)}`);
  }
  if (typeof token !== 'string' || token.length === 0) throw new GatewayClientError('token_unavailable', 'the token function returned no token');
  return token;
}
