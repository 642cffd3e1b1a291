import { GatewayCloseCode, ServerErrorCode } from '@rebal/gateway-client';
import { SignJWT } from 'jose';
import { hostileTokens, type HostileToken } from '../hostile-tokens';
import { WsProbe } from '../ws-probe';
import type { SecurityFixture } from './security-fixture';

/** `GATEWAY_AUTH_TIMEOUT` of the stack (the documented default is 5 s; shortened to keep the test quick). */
export const GATEWAY_AUTH_TIMEOUT_MS = 1_000;

/** docs/protocol.md "The first authentication fails": `error.code` and close code of each refusal. */
function expectedRefusal(token: HostileToken): { code: string; close: number } {
  return token.verdict === 'expired'
    ? { code: ServerErrorCode.TokenExpired, close: GatewayCloseCode.TokenExpired }
    : { code: ServerErrorCode.AuthFailed, close: GatewayCloseCode.AuthFailed };
}

/** Tries one refused token, in the first frame or in `?token=`; resolves with what differs from the documented refusal. */
async function refusalProblems(fx: SecurityFixture, token: HostileToken, via: 'frame' | 'query'): Promise<string[]> {
  const expected = expectedRefusal(token);
  const probe = await WsProbe.open(via === 'query' ? `${fx.stack.gatewayUrl}?token=${encodeURIComponent(token.token)}` : fx.stack.gatewayUrl);
  try {
    if (via === 'frame') probe.send({ op: 'auth', id: 'a1', token: token.token });
    const close = await probe.closed;
    fx.record(`gateway frames (${token.name} via ${via})`, JSON.stringify(probe.frames));
    const problems: string[] = [];
    const errors = probe.frames.filter((frame) => frame.type === 'error');
    if (probe.frames.some((frame) => frame.type === 'welcome')) problems.push('got a welcome');
    if (errors.length !== 1 || errors[0]?.['code'] !== expected.code) problems.push(`errors ${JSON.stringify(errors)} instead of one ${expected.code}`);
    if (via === 'frame' && errors[0]?.['id'] !== 'a1') problems.push(`error id ${String(errors[0]?.['id'])} instead of a1`);
    if (close.code !== expected.close) problems.push(`closed with ${close.code} instead of ${expected.close}`);
    return problems.map((problem) => `${token.name} via ${via}: ${problem}`);
  } finally {
    await probe.dispose();
  }
}

/** The gateway's `/ws` without a valid token (docs/protocol.md "Authentication"). */
export function gatewayAuthTests(fx: SecurityFixture): void {
  describe('the WebSocket without a valid token', () => {
    it('accepts only ping before authentication and closes the connection with 4002 at the auth timeout', async () => {
      const probe = await WsProbe.open(fx.stack.gatewayUrl);
      try {
        const pong = probe.next((frame) => frame.type === 'pong' && frame['id'] === 'p1');
        probe.send({ op: 'ping', id: 'p1' });
        expect(await pong).toEqual(expect.objectContaining({ type: 'pong', id: 'p1' }));
        expect(await probe.subscribe('s1', ['market_data'])).toEqual(expect.objectContaining({ type: 'error', code: ServerErrorCode.NotAuthenticated }));
        probe.send({ op: 'unsubscribe', id: 'u1', channels: ['market_data'] });
        expect(await probe.reply('u1')).toEqual(expect.objectContaining({ type: 'error', code: ServerErrorCode.NotAuthenticated }));
        const close = await probe.closed;
        expect(close.code).toBe(GatewayCloseCode.AuthTimeout);
        // Not before the timeout, and not long after it.
        expect(close.afterMs).toBeGreaterThanOrEqual(GATEWAY_AUTH_TIMEOUT_MS - 100);
        expect(close.afterMs).toBeLessThan(GATEWAY_AUTH_TIMEOUT_MS + 3_000);
        expect(probe.events()).toEqual([]);
      } finally {
        await probe.dispose();
      }
    });

    it('refuses each forged, expired or unsigned token with its documented error and close code, in the auth frame and in ?token=', async () => {
      const forged = await hostileTokens({ secret: fx.stack.jwtSecret, subject: 'e2e-ws-intruder' });
      // Gateway tokens also need the channels claim (docs/protocol.md "Claims").
      const now = Math.floor(Date.now() / 1000);
      const noChannels = await new SignJWT({ sub: 'e2e-ws-intruder', iat: now, exp: now + 3600 })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(fx.stack.jwtSecret));
      const tokens: HostileToken[] = [...forged, { name: 'no-channels', token: noChannels, verdict: 'invalid' }];
      tokens.forEach((token) => fx.remember(token.token));
      const problems: string[] = [];
      for (const token of tokens) {
        for (const via of ['frame', 'query'] as const) problems.push(...(await refusalProblems(fx, token, via)));
      }
      expect(problems).toEqual([]);
    });

    it('refuses a malformed auth frame with invalid_frame and keeps the connection open for a corrected one', async () => {
      const probe = await WsProbe.open(fx.stack.gatewayUrl);
      try {
        probe.send({ op: 'auth', id: 'a1' });
        expect(await probe.reply('a1')).toEqual(expect.objectContaining({ type: 'error', code: ServerErrorCode.InvalidFrame }));
        const welcome = await probe.auth(await fx.mint({ channels: [], subject: 'e2e-ws-nothing' }), 'a2');
        expect(welcome).toEqual(expect.objectContaining({ type: 'welcome', grants: [] }));
        // A token that grants nothing can subscribe to nothing (docs/protocol.md "Grants").
        for (const channel of ['market_data', 'market_data:BTC', 'alerts', 'risk_events', 'portfolio_updates:p-1', 'service_heartbeats']) {
          const reply = await probe.subscribe(`s-${channel}`, [channel]);
          expect(reply).toEqual(expect.objectContaining({ type: 'error', code: expect.stringMatching(/^(not_granted|unknown_channel)$/) }));
        }
        expect(probe.events()).toEqual([]);
      } finally {
        await probe.dispose();
      }
    });

    it('refuses upgrades on any path but /ws with 404', async () => {
      const other = fx.stack.gatewayUrl.replace(/\/ws$/, '/socket');
      await expect(WsProbe.open(other)).rejects.toThrow('upgrade refused with HTTP 404');
      await expect(WsProbe.open(fx.stack.gatewayUrl.replace(/\/ws$/, '/ws/'))).rejects.toThrow('upgrade refused with HTTP 404');
    });
  });
}
