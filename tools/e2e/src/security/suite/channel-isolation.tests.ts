import { ServerErrorCode } from '@rebal/gateway-client';
import { decodeEntry } from '@rebal/redis-client';
import { waitFor } from '@rebal/redis-testing';
import { WsProbe, type ProbeFrame } from '../ws-probe';
import type { SecurityFixture } from './security-fixture';

const notGranted = (channel: string) => expect.objectContaining({ type: 'error', code: ServerErrorCode.NotGranted, channel });

/** The CloudEvent subject of an `event` frame. */
const subjectOf = (frame: ProbeFrame) => (frame['event'] as { subject?: string } | undefined)?.subject;

/** Subjects of the entries of `stream` between two ids (inclusive), read as the admin. */
async function subjectsBetween(fx: SecurityFixture, stream: string, from: string, to: string): Promise<string[]> {
  const entries = await fx.admin.xrange(stream, from, to);
  return entries.flatMap(([, fields]) => {
    const decoded = decodeEntry(fields);
    return decoded.ok && decoded.event.subject !== undefined ? [decoded.event.subject] : [];
  });
}

const price = (fx: SecurityFixture, symbol: string, value: number) => fx.publish('market_data', 'price_update', symbol, { symbol, price: value, currency: 'USD' });

const snapshot = (fx: SecurityFixture, portfolioId: string) =>
  fx.publish('portfolio_updates', 'portfolio_snapshot', portfolioId, {
    portfolioId,
    totalValue: 1000,
    holdings: [{ symbol: 'BTC', quantity: 1, value: 1000 }],
    targets: { BTC: 1 },
  });

/** docs/protocol.md "Channels and grants": a token reads what it is granted and nothing else. */
export function channelIsolationTests(fx: SecurityFixture): void {
  describe('channel isolation', () => {
    it('refuses every channel a market_data:BTC grant does not cover, and never delivers an ETH price on its BTC subscription', async () => {
      const probe = await WsProbe.open(fx.stack.gatewayUrl);
      try {
        expect(await probe.auth(await fx.mint({ channels: ['market_data:BTC'], subject: 'e2e-btc-only' }))).toEqual(
          expect.objectContaining({ type: 'welcome', grants: ['market_data:BTC'] }),
        );
        for (const channel of ['market_data:ETH', 'market_data', 'market_data:btc', 'alerts', 'risk_events', 'portfolio_updates:p-1']) {
          expect(await probe.subscribe(`s-${channel}`, [channel])).toEqual(notGranted(channel));
        }
        // All or nothing (docs/protocol.md "Subscribing"): the granted channel of a refused frame is not subscribed either.
        expect(await probe.subscribe('mixed', ['market_data:BTC', 'market_data:ETH'])).toEqual(notGranted('market_data:ETH'));
        const subscribed = await probe.subscribe('btc', ['market_data:BTC']);
        expect(subscribed).toEqual(expect.objectContaining({ type: 'subscribed', channels: [expect.objectContaining({ channel: 'market_data:BTC', recovered: false, reason: 'no_position' })] }));
        const from = probe.frames.length;
        // ETH before each BTC price: the BTC one arriving proves the ETH one went through the fan-out first.
        const ethIds: string[] = [];
        const btcIds: string[] = [];
        for (let round = 0; round < 5; round += 1) {
          ethIds.push(await price(fx, 'ETH', 3000 + round));
          btcIds.push(await price(fx, 'BTC', 60_000 + round));
        }
        await waitFor(() => probe.events().some((frame) => frame['id'] === btcIds[btcIds.length - 1]), {
          timeoutMs: 15_000,
          message: () => `the last BTC price published (got ${probe.events().length} events)`,
        });
        const events = probe.frames.slice(from).filter((frame) => frame.type === 'event');
        expect(events.map((frame) => frame['id'])).toEqual(expect.arrayContaining(btcIds));
        expect(events.filter((frame) => frame['channel'] !== 'market_data:BTC' || subjectOf(frame) !== 'BTC')).toEqual([]);
        expect(events.every((frame) => (frame['event'] as { data: { symbol: string } }).data.symbol === 'BTC')).toBe(true);
        // ETH prices were in the stream among the BTC ones delivered (ours, plus the simulator's).
        const between = await subjectsBetween(fx, 'market_data', ethIds[0] as string, btcIds[btcIds.length - 1] as string);
        expect(between.filter((subject) => subject === 'ETH').length).toBeGreaterThanOrEqual(ethIds.length);
      } finally {
        await probe.dispose();
      }
    });

    it('keeps a portfolio_updates:p-1 grant from reading portfolio p-2', async () => {
      const probe = await WsProbe.open(fx.stack.gatewayUrl);
      try {
        await probe.auth(await fx.mint({ channels: ['portfolio_updates:p-1'], subject: 'e2e-p1-only' }));
        for (const channel of ['portfolio_updates:p-2', 'portfolio_updates', 'risk_events:p-1', 'portfolio_updates:p-10']) {
          expect(await probe.subscribe(`s-${channel}`, [channel])).toEqual(notGranted(channel));
        }
        expect(await probe.subscribe('p1', ['portfolio_updates:p-1'])).toEqual(expect.objectContaining({ type: 'subscribed' }));
        await snapshot(fx, 'p-2');
        await snapshot(fx, 'p-1');
        await waitFor(() => probe.events().some((frame) => subjectOf(frame) === 'p-1'), { timeoutMs: 10_000, message: 'the p-1 snapshot' });
        expect(probe.events().map(subjectOf)).toEqual(['p-1']);
      } finally {
        await probe.dispose();
      }
    });

    it('revokes a channel at once when a refreshed token drops its grant, and refuses a refresh for another subject (docs/protocol.md "Expiry and refresh")', async () => {
      const probe = await WsProbe.open(fx.stack.gatewayUrl);
      try {
        await probe.auth(await fx.mint({ channels: ['market_data:BTC', 'market_data:ETH'], subject: 'e2e-refresh' }));
        expect(await probe.subscribe('both', ['market_data:BTC', 'market_data:ETH'])).toEqual(expect.objectContaining({ type: 'subscribed' }));
        await price(fx, 'ETH', 3100);
        await waitFor(() => probe.events().some((frame) => subjectOf(frame) === 'ETH'), { timeoutMs: 10_000, message: 'an ETH price before the refresh' });

        const refreshed = await probe.auth(await fx.mint({ channels: ['market_data:BTC'], subject: 'e2e-refresh' }), 'r1');
        expect(refreshed).toEqual(expect.objectContaining({ type: 'authenticated', grants: ['market_data:BTC'], revoked: ['market_data:ETH'] }));
        const notice = probe.frames.findIndex((frame) => frame.type === 'unsubscribed' && frame['reason'] === 'revoked');
        expect(probe.frames[notice]).toEqual(expect.objectContaining({ channels: ['market_data:ETH'] }));
        expect(notice).toBeLessThan(probe.frames.indexOf(refreshed));

        for (let round = 0; round < 3; round += 1) {
          await price(fx, 'ETH', 3200 + round);
          await price(fx, 'BTC', 61_000 + round);
        }
        await waitFor(() => probe.frames.slice(notice).filter((frame) => frame.type === 'event' && subjectOf(frame) === 'BTC').length >= 3, {
          timeoutMs: 10_000,
          message: 'three BTC prices after the refresh',
        });
        expect(probe.frames.slice(notice).filter((frame) => frame.type === 'event' && subjectOf(frame) !== 'BTC')).toEqual([]);
        expect(await probe.subscribe('eth-again', ['market_data:ETH'])).toEqual(notGranted('market_data:ETH'));

        // Another subject's token is refused; the connection keeps its previous token and grants.
        const foreign = await probe.auth(await fx.mint({ channels: ['*'], subject: 'e2e-someone-else' }), 'r2');
        expect(foreign).toEqual(expect.objectContaining({ type: 'error', code: ServerErrorCode.SubjectMismatch }));
        expect(await probe.subscribe('all', ['market_data'])).toEqual(notGranted('market_data'));
        expect(probe.closedWith).toBeUndefined();
      } finally {
        await probe.dispose();
      }
    });
  });
}
