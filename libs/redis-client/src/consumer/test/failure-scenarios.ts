/// <reference types="jest" />
import { waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { createEvent } from '../../events/cloud-event';
import { encodeEvent } from '../../events/event-codec';
import { STREAMS } from '../../events/streams';
import type { DeadLetterNotice } from '../dead-letter';
import type { ConsumerSuiteContext } from './consumer-suite-context';
import { capturingLogger, eventNumber, fieldsToObject, HandledLog, pendingCount, priceEvent, publishPrices } from './consumer-test-kit';

/** Failures: poison and malformed entries to the dead-letter stream, Redis restarting, the group vanishing. */
export function failureScenarios(suite: ConsumerSuiteContext): void {
  const { open, newRunner, newStream } = suite;

  it('moves a poison entry to the dead-letter stream after 5 deliveries and goes on with the others', async () => {
    const stream = newStream();
    const registry = new Registry();
    const attempts: number[] = [];
    const handled = new HandledLog();
    const notices: DeadLetterNotice[] = [];
    const pair = open();
    const runner = newRunner(pair, {
      stream,
      group: 'workers',
      consumer: 'c1',
      claimIdleMs: 300,
      claimIntervalMs: 100,
      registry,
      handler: async (event, entry) => {
        if (event.id === 'evt-50') {
          attempts.push(entry.deliveries);
          throw new Error('cannot price BTC: upstream said no');
        }
        handled.record(event.id);
      },
    });
    runner.on('dead-letter', (notice) => notices.push(notice));
    await runner.start();
    await publishPrices(pair.command, stream, 0, 100);
    await waitFor(async () => (await pair.command.xlen(runner.dlqKey)) === 1, { timeoutMs: 20_000, message: 'dead-lettered' });
    await waitFor(() => handled.distinct === 99);
    expect(runner.dlqKey).toBe(`${stream}:dlq`);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    const [[deadId, fields]] = await pair.command.xrange(runner.dlqKey, '-', '+');
    const dead = fieldsToObject(fields);
    const [[originalId]] = await pair.command.xrange(stream, '-', '+', 'COUNT', 51).then((all) => all.slice(50));
    expect(dead).toMatchObject({
      id: 'evt-50',
      type: 'price_update',
      data: JSON.stringify(priceEvent(50).data),
      dlq_reason: 'max-deliveries',
      dlq_error: 'cannot price BTC: upstream said no',
      dlq_stream: stream,
      dlq_id: originalId,
      dlq_group: 'workers',
      dlq_deliveries: '5',
    });
    expect(Date.parse(dead['dlq_time'])).not.toBeNaN();
    expect(notices).toEqual([expect.objectContaining({ id: originalId, reason: 'max-deliveries', deliveries: 5, deadLetterId: deadId })]);
    await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0);
    const metric = await registry.getSingleMetric('rebal_consumer_events_dead_lettered_total')?.get();
    expect(metric?.values).toEqual([{ labels: { stream, group: 'workers', reason: 'max-deliveries' }, value: 1 }]);
    const sample = async (name: string, metricName = name) => {
      const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
      return values.find((value) => ((value as { metricName?: string }).metricName ?? name) === metricName)?.value;
    };
    expect(await sample('rebal_consumer_events_failed_total')).toBe(5);
    expect(await sample('rebal_consumer_events_processed_total')).toBeGreaterThanOrEqual(99);
    // One handler-duration observation per handler call: 99 successes and 5 failures at least.
    expect(
      await sample('rebal_consumer_handler_duration_seconds', 'rebal_consumer_handler_duration_seconds_count'),
    ).toBeGreaterThanOrEqual(104);
  }, 60_000);

  it('dead-letters malformed entries at once with the reason and processes the rest', async () => {
    const stream = newStream();
    const pair = open();
    const handled = new HandledLog();
    const runner = newRunner(pair, {
      stream,
      group: 'workers',
      consumer: 'c1',
      handler: async (event) => handled.record(event.id),
    });
    await runner.start();
    const withData = (data: string) => encodeEvent(priceEvent(1)).map((value, i, all) => (all[i - 1] === 'data' ? data : value));
    const malformed: Array<[string[], string | RegExp]> = [
      [withData('{"symbol": "BTC", "price": '), /^data is not valid JSON/],
      [['specversion', '1.0', 'id', 'evt-x', 'type', 'price_update', 'data', '{}'], 'missing fields source, time, datacontenttype'],
      [withData(JSON.stringify({ symbol: 'BTC', price: 0, currency: 'USD' })), 'data/price must be > 0'],
      [encodeEvent({ ...priceEvent(2), type: 'price_teleported' }), 'unknown event type "price_teleported"'],
    ];
    await publishPrices(pair.command, stream, 100, 10);
    for (const [fields] of malformed) await pair.command.xadd(stream, '*', ...fields);
    await publishPrices(pair.command, stream, 200, 10);
    await waitFor(async () => (await pair.command.xlen(runner.dlqKey)) === malformed.length, { message: 'all malformed dead-lettered' });
    await waitFor(() => handled.distinct === 20);
    const dead = (await pair.command.xrange(runner.dlqKey, '-', '+')).map(([, fields]) => fieldsToObject(fields));
    dead.forEach((entry, i) => {
      expect(entry['dlq_reason']).toBe('invalid');
      expect(entry['dlq_deliveries']).toBe('1');
      expect(entry['dlq_error']).toMatch(malformed[i][1]);
    });
    expect(handled.has('evt-x')).toBe(false);
    await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0);
  }, 30_000);

  it('dead-letters at once an entry whose type belongs on another stream, with the reason, and handles the next one', async () => {
    const stream = newStream();
    const pair = open();
    const handled = new HandledLog();
    const notices: DeadLetterNotice[] = [];
    const runner = newRunner(pair, {
      stream,
      group: 'workers',
      consumer: 'c1',
      types: STREAMS.market_data.types,
      handler: async (event) => handled.record(event.id),
    });
    runner.on('dead-letter', (notice) => notices.push(notice));
    await runner.start();
    // Schema-valid, and known: only its stream is wrong (a foreign producer's XADD).
    const foreign = createEvent({ id: 'evt-foreign', type: 'alert.raised', source: '/foreign-producer', subject: 'a-1', data: { alert: { id: 'a-1', severity: 'S2' } } });
    const foreignId = (await pair.command.xadd(stream, '*', ...encodeEvent(foreign))) as string;
    await publishPrices(pair.command, stream, 1, 1);
    await waitFor(() => handled.has('evt-1'), { message: 'the valid entry after it handled' });
    // The notice comes after the copy and the ack.
    await waitFor(() => notices.length === 1, { message: 'dead-lettered' });
    const dead = await pair.command.xrange(runner.dlqKey, '-', '+');
    expect(dead).toHaveLength(1);
    const [[deadId, fields]] = dead;
    expect(fieldsToObject(fields)).toMatchObject({
      id: 'evt-foreign',
      type: 'alert.raised',
      dlq_reason: 'invalid',
      dlq_error: 'event type "alert.raised" does not belong on this stream (it carries price_update)',
      dlq_stream: stream,
      dlq_id: foreignId,
      dlq_group: 'workers',
      dlq_deliveries: '1',
    });
    expect(notices).toEqual([expect.objectContaining({ id: foreignId, reason: 'invalid', deliveries: 1, deadLetterId: deadId })]);
    expect(handled.has('evt-foreign')).toBe(false);
    expect(handled.total).toBe(1);
    await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0);
  }, 30_000);

  it('drops and acks an entry of a foreign type without dead-lettering it when deadLetterInvalid is off', async () => {
    const stream = newStream();
    const pair = open();
    const handled = new HandledLog();
    const runner = newRunner(pair, {
      stream,
      group: 'workers',
      consumer: 'c1',
      types: ['risk_metric'],
      deadLetterInvalid: false,
      handler: async (event) => handled.record(event.id),
    });
    await runner.start();
    await publishPrices(pair.command, stream, 1, 1);
    const metric = createEvent({ id: 'evt-metric', type: 'risk_metric', source: '/risk', data: { metric: 'volatility', value: 0.4 } });
    await pair.command.xadd(stream, '*', ...encodeEvent(metric));
    await waitFor(() => handled.has('evt-metric'), { message: 'the valid entry after it handled' });
    await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0, { message: 'both acked' });
    expect(handled.has('evt-1')).toBe(false);
    expect(handled.total).toBe(1);
    expect(await pair.command.xlen(runner.dlqKey)).toBe(0);
  }, 30_000);

  (suite.options.restart === false ? it.skip : it)(
    'reconnects after Redis restarts and handles every event, the pending ones included',
    async () => {
      const stream = newStream();
      const handled = new HandledLog();
      const failedOnce = new Set<string>();
      const { logger, messages } = capturingLogger();
      const pair = open();
      const runner = newRunner(pair, {
        stream,
        group: 'workers',
        consumer: 'c1',
        claimIdleMs: 500,
        claimIntervalMs: 200,
        logger,
        handler: async (event) => {
          if (eventNumber(event.id) % 100 === 7 && !failedOnce.has(event.id)) {
            failedOnce.add(event.id);
            throw new Error('transient failure');
          }
          handled.record(event.id);
        },
      });
      await runner.start();
      await publishPrices(pair.command, stream, 0, 2_000);
      await waitFor(() => handled.distinct >= 500, { timeoutMs: 20_000 });
      const handledBeforeRestart = handled.distinct;
      await suite.server().restart();
      await publishPrices(pair.command, stream, 2_000, 2_000);
      await waitFor(() => handled.distinct === 4_000, { timeoutMs: 60_000, message: 'all events handled after restart' });
      await waitFor(async () => (await pendingCount(pair.command, stream, 'workers')) === 0, { timeoutMs: 20_000 });
      expect(failedOnce.size).toBe(40);
      // It goes on from its place: only entries handled while their acks could not reach Redis
      // (at most about one read batch) run twice. Starting over from the beginning of the
      // stream would repeat every event handled before the restart.
      expect(handled.duplicates().length).toBeLessThan(handledBeforeRestart);
      const registered = messages.filter((message) => message === `Registered consumer for stream: ${stream}`);
      expect(registered.length).toBeGreaterThanOrEqual(2);
    },
    90_000,
  );

  it('creates its group again when it disappears (NOGROUP) and keeps consuming', async () => {
    const stream = newStream();
    const pair = open();
    const handled = new HandledLog();
    const { logger, messages } = capturingLogger();
    const runner = newRunner(pair, {
      stream,
      group: 'workers',
      consumer: 'c1',
      logger,
      handler: async (event) => handled.record(event.id),
    });
    await runner.start();
    await publishPrices(pair.command, stream, 0, 10);
    await waitFor(() => handled.distinct === 10);
    expect(await pair.command.xgroup('DESTROY', stream, 'workers')).toBe(1);
    const groupNames = async () => ((await pair.command.xinfo('GROUPS', stream)) as unknown[][]).map((group) => group[1]);
    await waitFor(async () => (await groupNames()).includes('workers'), { message: 'group created again' });
    await publishPrices(pair.command, stream, 10, 10);
    await waitFor(() => handled.distinct === 20);
    expect(messages).toContain('consumer group is gone (NOGROUP); creating it again');
    expect(messages.filter((message) => message === `Registered consumer for stream: ${stream}`).length).toBeGreaterThanOrEqual(2);
    expect(runner.reading).toBe(true);
  }, 30_000);
}
