import { waitFor } from '@rebal/redis-testing';
import type { StreamPublisher } from '@rebal/redis-client';
import fc from 'fast-check';
import { E2eStack } from '../stack';
import { EventWatcher } from './event-watcher';
import { judgeExchange } from './judge-exchange';
import { readMetric } from './read-metric';
import { StackWatch } from './stack-watch';
import { priceEvent, producerPublisher, snapshotEvent } from './test-events';
import { FUZZ_GRANT, hostileFrame } from './ws-frame-arbitraries';
import { expectedReply, type OracleContext } from './ws-frame-oracle';
import { WsProbe } from './ws-probe';

/** Fuzzer seed: fixed by default, `HOSTILE_SEED=<n>` to explore; printed by fast-check on failure. */
const SEED = Number(process.env['HOSTILE_SEED'] ?? 20_260_407);
const NUM_RUNS = Number(process.env['HOSTILE_RUNS'] ?? 200);
/** Deployment limits set for this stack (defaults are 64 KiB, 1 MiB and 5 s). */
const MAX_FRAME_BYTES = 32_768;
const SEND_BUFFER_LIMIT = 65_536;
const AUTH_TIMEOUT_MS = 2_000;
/** docs/protocol.md "Limits": the hard inbound frame size. */
const HARD_FRAME_BYTES = 1_048_576;
const FLOOD_SOCKETS = 1_500;
const FLOOD_BATCH = 100;

describe('hostile input to the streaming gateway', () => {
  let stack: E2eStack;
  let watch: StackWatch;
  let publisher: StreamPublisher;

  beforeAll(async () => {
    stack = await E2eStack.start({
      alertReplicas: 1,
      gatewayReplicas: 1,
      healthMonitor: false,
      simulator: false,
      env: {
        'streaming-gateway': {
          GATEWAY_MAX_FRAME_BYTES: String(MAX_FRAME_BYTES),
          GATEWAY_SEND_BUFFER_LIMIT: String(SEND_BUFFER_LIMIT),
          GATEWAY_AUTH_TIMEOUT: `${AUTH_TIMEOUT_MS}ms`,
          // The fuzzer sends thousands of frames a minute; the rate limit is the gateway's own tests' business.
          GATEWAY_RATE_LIMIT_PER_SECOND: '100000',
          GATEWAY_RATE_LIMIT_BURST: '100000',
        },
      },
    });
    watch = new StackWatch(stack);
    publisher = producerPublisher(stack);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  beforeEach(() => watch?.mark());

  async function watcher(channel: string): Promise<EventWatcher> {
    return EventWatcher.start({ url: stack.gatewayUrl, token: await stack.token({ channels: [channel.split(':')[0] as string] }), channel });
  }

  it('answers every fuzzed frame, before and after authentication, as docs/protocol.md says, while a client beside it gets every event', async () => {
    const beside = await watcher('market_data:HOSTILE-WS');
    const published: string[] = [];
    // Fuzzers talk to the replica itself: through the balancer, whose sockets keep Nagle's algorithm
    // on, every frame-and-sentinel pair waits ~40 ms for a delayed ACK. The watcher goes through the balancer.
    const direct = `ws://127.0.0.1:${stack.replica('streaming-gateway-1').port}/ws`;
    const fuzzer = await WsProbe.open(direct);
    try {
      const welcome = await fuzzer.auth(await stack.token({ channels: [FUZZ_GRANT], subject: 'fuzzer' }));
      const maxFrameBytes = (welcome['limits'] as { maxFrameBytes: number }).maxFrameBytes;
      expect(maxFrameBytes).toBe(MAX_FRAME_BYTES);
      const authenticated: OracleContext = { authenticated: true, granted: new Set([FUZZ_GRANT]), maxFrameBytes };
      const anonymous: OracleContext = { ...authenticated, authenticated: false };
      let runs = 0;
      const covered = new Set<string>();
      await fc.assert(
        fc.asyncProperty(fc.array(hostileFrame(maxFrameBytes), { minLength: 1, maxLength: 6 }), async (frames) => {
          runs += 1;
          // One long-lived authenticated connection takes every frame.
          for (const frame of frames) {
            const expected = expectedReply(frame, authenticated);
            covered.add(expected.type === 'error' ? (expected.codes[0] as string) : expected.type);
            judgeExchange(frame, expected, await fuzzer.exchange(frame, true));
          }
          // The same frames from connections that never authenticate (a new one after each 4001).
          let probe = await WsProbe.open(direct);
          try {
            for (const frame of frames) {
              if (probe.close !== undefined) probe = await WsProbe.open(direct);
              const expected = expectedReply(frame, anonymous);
              if (expected.type === 'error') covered.add(`${expected.codes[0] as string} (anonymous)`);
              judgeExchange(frame, expected, await probe.exchange(frame, false));
              if (expected.type === 'error' && expected.close !== undefined) expect((await probe.closed).code).toBe(expected.close);
            }
          } finally {
            probe.terminate();
          }
          if (runs % 10 === 0) published.push(await publisher.publish('market_data', priceEvent('HOSTILE-WS', runs)));
        }),
        { seed: SEED, numRuns: NUM_RUNS, endOnFailure: true },
      );
      expect(fuzzer.close).toBeUndefined();
      // The generators reach every documented answer (a guard against a fuzzer that only ever sends one kind of junk).
      const answers = ['auth_failed', 'binary_not_supported', 'frame_too_large', 'invalid_channel', 'invalid_frame', 'invalid_json', 'not_granted', 'pong', 'subscribed'];
      const required = [...answers, 'unknown_channel', 'unknown_op', 'unsubscribed', 'auth_failed (anonymous)', 'not_authenticated (anonymous)'];
      expect(required.filter((answer) => !covered.has(answer))).toEqual([]);
      published.push(await publisher.publish('market_data', priceEvent('HOSTILE-WS', 1)));
      await beside.expectExactly(published);
    } finally {
      fuzzer.terminate();
      await beside.close();
    }
    await watch.expectServing();
  }, 120_000);

  it('answers a frame over GATEWAY_MAX_FRAME_BYTES with frame_too_large and closes one over 1 MiB with 1009, and serves on', async () => {
    const beside = await watcher('market_data:HOSTILE-BIG');
    const ping = (id: string, bytes: number) => {
      const frame = `{"op":"ping","id":"${id}","pad":""}`;
      return frame.replace('"pad":""', `"pad":"${'p'.repeat(bytes - frame.length)}"`);
    };
    const client = await WsProbe.open(stack.gatewayUrl);
    const reckless = await WsProbe.open(stack.gatewayUrl);
    await client.auth(await stack.token({ channels: ['market_data'] }));
    await reckless.auth(await stack.token({ channels: ['market_data'] }));
    // Opened last: it has GATEWAY_AUTH_TIMEOUT for its three frames.
    const anonymous = await WsProbe.open(stack.gatewayUrl);
    try {
      // At the limit: answered normally. One byte over, or up to the hard cap: `frame_too_large`, the frame dropped.
      for (const [probe, authenticated] of [
        [client, true],
        [anonymous, false],
      ] as const) {
        expect((await probe.exchange({ data: ping('at-limit', MAX_FRAME_BYTES), binary: false }, authenticated)).replies).toMatchObject([{ type: 'pong', id: 'at-limit' }]);
        for (const bytes of [MAX_FRAME_BYTES + 1, HARD_FRAME_BYTES]) {
          const { replies, close } = await probe.exchange({ data: ping(`over-${bytes}`, bytes), binary: false }, authenticated);
          expect({ replies, close }).toEqual({ replies: [{ type: 'error', code: 'frame_too_large', message: expect.any(String) }], close: undefined });
        }
      }
      // Above the hard cap the connection is closed with 1009 (docs "Close codes").
      reckless.send(ping('huge', HARD_FRAME_BYTES + 1));
      expect((await reckless.closed).code).toBe(1009);
      // The others are untouched.
      client.send({ op: 'ping', id: 'still-there' });
      expect(await client.reply('still-there')).toMatchObject({ type: 'pong' });
      const id = await publisher.publish('market_data', priceEvent('HOSTILE-BIG', 1));
      await beside.expectExactly([id]);
    } finally {
      for (const probe of [client, anonymous, reckless]) probe.terminate();
      await beside.close();
    }
    await watch.expectServing();
  }, 60_000);

  it('closes a client that stops reading with 4009 once its buffer passes GATEWAY_SEND_BUFFER_LIMIT, while a client beside it gets every event', async () => {
    const gateway = stack.replica('streaming-gateway-1');
    const beside = await watcher('portfolio_updates:p-slow');
    // Straight to the replica: the balancer's own buffers would only delay the point.
    const slow = await WsProbe.open(`ws://127.0.0.1:${gateway.port}/ws`);
    try {
      await slow.auth(await stack.token({ channels: ['portfolio_updates'] }));
      await slow.subscribe(['portfolio_updates:p-slow']);
      const before = await readMetric(gateway.url, 'rebal_gateway_disconnects_total', { code: '4009' });
      slow.socket.pause();
      // About 4 KB per event, 64 per batch; the watcher must have each batch before the next one goes.
      const ids: string[] = [];
      const deadline = Date.now() + 60_000;
      while ((await readMetric(gateway.url, 'rebal_gateway_disconnects_total', { code: '4009' })) === before) {
        if (Date.now() > deadline || ids.length >= 10_000) throw new Error(`no 4009 after ${ids.length} events of ~4 KB`);
        ids.push(...(await publisher.publishMany('portfolio_updates', Array.from({ length: 64 }, () => snapshotEvent('p-slow', 4_000)))));
        await waitFor(() => beside.ids.length >= ids.length || beside.disconnects.length > 0, { timeoutMs: 15_000, message: () => `the watcher to get ${ids.length} events (has ${beside.ids.length})` });
      }
      slow.socket.resume();
      expect((await slow.closed).code).toBe(4009);
      // What the slow client got before the close is a gap-free prefix, in order: nothing silently skipped.
      const got = slow.events.get('portfolio_updates:p-slow') ?? [];
      expect(got).toEqual(ids.slice(0, got.length));
      await beside.expectExactly(ids);
    } finally {
      slow.terminate();
      await beside.close();
    }
    await watch.expectServing();
  }, 90_000);

  it(`closes ${FLOOD_SOCKETS} connections that never authenticate with 4002 after GATEWAY_AUTH_TIMEOUT, serving a normal client meanwhile and afterwards`, async () => {
    const gateway = stack.replica('streaming-gateway-1');
    const baseline = await readMetric(gateway.url, 'rebal_gateway_connections');
    const during: EventWatcher[] = [];
    const flood: WsProbe[] = [];
    const published: string[] = [];
    const deadline = Date.now() + 45_000;
    try {
      for (let opened = 0; opened < FLOOD_SOCKETS; opened += FLOOD_BATCH) {
        if (Date.now() > deadline) throw new Error(`only ${opened} flood sockets opened in 45 s`);
        flood.push(...(await Promise.all(Array.from({ length: FLOOD_BATCH }, () => WsProbe.open(stack.gatewayUrl, 20_000)))));
        if (opened === FLOOD_SOCKETS / 2) during.push(await watcher('market_data:HOSTILE-FLOOD'));
        if (during.length > 0) published.push(await publisher.publish('market_data', priceEvent('HOSTILE-FLOOD', opened + 1)));
      }
      await waitFor(() => flood.every((probe) => probe.close !== undefined), {
        timeoutMs: AUTH_TIMEOUT_MS + 30_000,
        message: () => `every flood socket to be closed (${flood.filter((probe) => probe.close === undefined).length} open)`,
      });
      const codes: Record<string, number> = {};
      for (const probe of flood) codes[String(probe.close?.code)] = (codes[String(probe.close?.code)] ?? 0) + 1;
      expect(codes).toEqual({ '4002': FLOOD_SOCKETS });
      const lifetimes = flood.map((probe) => (probe.close?.atMs ?? 0) - probe.openedAtMs);
      expect(Math.min(...lifetimes)).toBeGreaterThanOrEqual(AUTH_TIMEOUT_MS);
      expect(Math.max(...lifetimes)).toBeLessThan(AUTH_TIMEOUT_MS + 15_000);
      // Afterwards a new client connects and gets events; the one connected during the flood got all of its own.
      during.push(await watcher('market_data:HOSTILE-FLOOD'));
      published.push(await publisher.publish('market_data', priceEvent('HOSTILE-FLOOD', 1)));
      await during[0]?.expectExactly(published);
      await during[1]?.expectExactly(published.slice(-1));
      await waitFor(async () => (await readMetric(gateway.url, 'rebal_gateway_connections')) === baseline + during.length, {
        timeoutMs: 10_000,
        message: () => 'the connection gauge to return to the clients still open',
      });
    } finally {
      for (const probe of flood) probe.terminate();
      await Promise.all(during.map((client) => client.close()));
    }
    await watch.expectServing();
  }, 120_000);
});
