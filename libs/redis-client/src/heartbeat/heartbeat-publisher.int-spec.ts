import { startRedis, useRedis, waitFor } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Registry } from 'prom-client';
import { decodeEntry } from '../events/event-codec';
import type { HeartbeatData } from '../events/event-types';
import { StreamPublisher } from '../events/stream-publisher';
import { HeartbeatPublisher } from './heartbeat-publisher';

const redis = useRedis();

function capture(): { logger: pino.Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('HeartbeatPublisher', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redis.server.url, { maxRetriesPerRequest: null });
  });
  afterAll(() => client.disconnect());

  it('publishes a valid heartbeat at once and then one every interval', async () => {
    const prefix = `hb:${randomUUID()}:`;
    const startedAt = new Date(Date.now() - 60_000);
    let beats = 0;
    const heartbeat = new HeartbeatPublisher({
      publisher: new StreamPublisher({ redis: client, prefix }),
      service: 'alert-service',
      instance: 'alert-service-0',
      version: '1.4.2',
      intervalMs: 200,
      startedAt,
      status: () => (beats++ === 0 ? 'healthy' : 'degraded'),
      details: () => ({ consumers: 2 }),
    });
    const key = `${prefix}service_heartbeats`;
    const begin = Date.now();
    heartbeat.start();
    heartbeat.start();
    try {
      await waitFor(async () => (await client.xlen(key)) >= 4, { timeoutMs: 5_000 });
    } finally {
      await heartbeat.stop();
      await heartbeat.stop();
    }
    const entries = await client.xrange(key, '-', '+');
    const events = entries.map(([, fields]) => {
      const decoded = decodeEntry<HeartbeatData>(fields);
      if (!decoded.ok) throw new Error(decoded.reason);
      return decoded.event;
    });
    expect(events[0]).toMatchObject({ type: 'heartbeat', source: '/alert-service', subject: 'alert-service' });
    expect(events[0].data).toMatchObject({
      service: 'alert-service',
      instance: 'alert-service-0',
      version: '1.4.2',
      startedAt: startedAt.toISOString(),
      status: 'healthy',
      details: { consumers: 2 },
    });
    expect(events[0].data.uptimeSeconds).toBeGreaterThanOrEqual(60);
    expect(events[1].data.status).toBe('degraded');
    // The first beat goes out at start, not after one interval.
    expect(Date.parse(events[0].time) - begin).toBeLessThan(200);
    for (let i = 1; i < events.length; i++) {
      const gap = Date.parse(events[i].time) - Date.parse(events[i - 1].time);
      expect(gap).toBeGreaterThanOrEqual(180);
      expect(gap).toBeLessThan(1_000);
    }
  });

  it('counts failures, logs them once per streak and recovers when Redis comes back', async () => {
    const server = await startRedis();
    // Commands fail fast while disconnected instead of waiting, so failures are visible.
    const flaky = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    const registry = new Registry();
    const { logger, lines } = capture();
    const heartbeat = new HeartbeatPublisher({
      publisher: new StreamPublisher({ redis: flaky }),
      service: 'health-monitor',
      instance: 'hm-0',
      version: '1.0.0',
      intervalMs: 50,
      logger,
      registry,
    });
    const failures = async () => (await registry.getSingleMetric('rebal_heartbeat_failures_total')?.get())?.values[0]?.value ?? 0;
    const published = async () => (await registry.getSingleMetric('rebal_heartbeats_published_total')?.get())?.values[0]?.value ?? 0;
    try {
      heartbeat.start();
      await waitFor(async () => (await published()) >= 1);
      await server.stop();
      await waitFor(async () => (await failures()) >= 3, { timeoutMs: 10_000 });
      expect(heartbeat.failing).toBe(true);
      await server.start();
      const before = await published();
      await waitFor(async () => (await published()) > before, { timeoutMs: 10_000 });
      expect(heartbeat.failing).toBe(false);
      const messages = lines.map((line) => line.msg);
      expect(messages.filter((msg) => msg === 'heartbeat publishing failed; will keep trying')).toHaveLength(1);
      expect(messages.filter((msg) => msg === 'heartbeat publishing recovered')).toHaveLength(1);
    } finally {
      await heartbeat.stop();
      flaky.disconnect();
      await server.dispose();
    }
  }, 30_000);
});
