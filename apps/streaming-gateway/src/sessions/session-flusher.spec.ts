import { waitFor } from '@rebal/redis-testing';
import { Registry } from 'prom-client';
import { createGatewayMetrics, type GatewayMetrics } from '../metrics';
import { SessionFlusher, SessionFlusherOptionsError, type SessionFlusherOptions } from './session-flusher';
import { capturingLogger, FakeConnection, FakeStore } from './test/session-test-kit';

describe('SessionFlusher', () => {
  let clock = 1_000_000;
  let metrics: GatewayMetrics;
  const flushers: SessionFlusher[] = [];

  beforeEach(() => {
    clock = 1_000_000;
    metrics = createGatewayMetrics(new Registry());
  });

  afterEach(async () => {
    await Promise.all(flushers.splice(0).map((flusher) => flusher.stop()));
  });

  function flusherFor(store: FakeStore, options: Partial<SessionFlusherOptions> = {}): SessionFlusher {
    const flusher = new SessionFlusher({ store, intervalMs: 3_600_000, metrics, now: () => clock, ...options });
    flushers.push(flusher);
    return flusher;
  }

  const failures = async () => (await metrics.sessionWriteFailures.get()).values[0]?.value ?? 0;
  const writesCounted = async () => (await metrics.sessionWrites.get()).values[0]?.value ?? 0;

  it('refuses an interval that is not a positive whole number of ms', () => {
    for (const intervalMs of [0, -5, 1.5, Number.NaN]) {
      expect(() => new SessionFlusher({ store: new FakeStore(), intervalMs, metrics })).toThrow(
        expect.objectContaining({ code: 'ERR_SESSION_FLUSHER_OPTIONS' }) as unknown as SessionFlusherOptionsError,
      );
    }
  });

  it('writes the positions taken at the previous flush, and only once the client confirmed them', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    const connection = new FakeConnection();
    connection.recorder(flusher, 's1');
    connection.move('alerts', '1-0');
    connection.flushed = false;

    await flusher.flush();
    // The channel is recorded at once, its position is not (never confirmed).
    expect(store.channelsOf('s1')).toEqual(['alerts']);
    expect(store.positionsOf('s1')).toEqual({});
    await flusher.flush();
    expect(store.positionsOf('s1')).toEqual({});

    connection.flushed = true;
    await flusher.flush(); // confirms 1-0
    expect(store.positionsOf('s1')).toEqual({});
    await flusher.flush(); // writes it
    expect(store.positionsOf('s1')).toEqual({ alerts: '1-0' });

    connection.move('alerts', '2-0');
    await flusher.flush();
    expect(store.positionsOf('s1')).toEqual({ alerts: '1-0' });
    await flusher.flush();
    expect(store.positionsOf('s1')).toEqual({ alerts: '2-0' });
  });

  it('issue 11 item 3: records the positions taken when it asked for a confirmation, once the client confirmed them, and asks once at a time', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    const connection = new FakeConnection();
    const answers: Array<(confirmed: boolean) => void> = [];
    connection.recorder(flusher, 'asked', { confirm: () => new Promise((resolve) => answers.push(resolve)) });
    connection.move('alerts', '1-0');
    await flusher.flush(); // asks for 1-0
    connection.move('alerts', '2-0');
    await flusher.flush();
    await flusher.flush();
    expect(answers).toHaveLength(1);
    expect(store.positionsOf('asked')).toEqual({});
    answers[0](true);
    await flusher.flush(); // writes 1-0, asks for 2-0
    expect(store.positionsOf('asked')).toEqual({ alerts: '1-0' });
    expect(answers).toHaveLength(2);
    answers[1](false); // the connection closed before the pong
    await flusher.flush();
    expect(store.positionsOf('asked')).toEqual({ alerts: '1-0' });
  });

  it('sends the writes of all its recorders in one batch per flush', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    const connections = Array.from({ length: 50 }, () => new FakeConnection());
    connections.forEach((connection, index) => {
      connection.recorder(flusher, `s${index}`);
      connection.move('alerts', `${index + 1}-0`);
    });
    const report = await flusher.flush();
    expect(report).toEqual({ recorders: 50, writes: 50, pipelines: 1, failures: 0 });
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0].map((write) => write.id).sort()).toEqual(connections.map((_, index) => `s${index}`).sort());
    expect(await writesCounted()).toBe(50);
  });

  it('takes no snapshot and writes nothing while nothing changed, until a third of the TTL has passed', async () => {
    const store = new FakeStore(30_000);
    const flusher = flusherFor(store);
    const connection = new FakeConnection();
    connection.recorder(flusher, 'idle');
    connection.move('alerts', '5-0');
    await flusher.flush(); // channel, and confirms 5-0
    await flusher.flush(); // 5-0
    expect(store.positionsOf('idle')).toEqual({ alerts: '5-0' });
    const writes = store.batches.length;
    const snapshots = connection.snapshots;

    for (let flush = 0; flush < 5; flush++) {
      clock += 1_000;
      expect(await flusher.flush()).toMatchObject({ recorders: 1, writes: 0 });
    }
    expect(connection.snapshots).toBe(snapshots);
    expect(store.batches).toHaveLength(writes);

    clock += 10_000; // 15 s after the last write: renewal due (TTL 30 s)
    expect(await flusher.flush()).toMatchObject({ writes: 1 });
    expect(store.batches).toHaveLength(writes + 1);
    clock += 1_000;
    expect(await flusher.flush()).toMatchObject({ writes: 0 });
  });

  it('does not rewrite the record the connection stored when it opened the session', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    const connection = new FakeConnection();
    connection.channels = ['alerts'];
    connection.positions = { alerts: '3-0' };
    const recorder = connection.recorder(flusher, 'opened', { stored: { subject: 'user-1', channels: ['alerts'], positions: { alerts: '3-0' } } });
    expect(await flusher.flush()).toMatchObject({ writes: 0 });
    expect(connection.snapshots).toBe(0);
    // The stored positions count as confirmed: a final write keeps them.
    connection.move('market_data', '9-0');
    await recorder.stop();
    expect(store.channelsOf('opened')).toEqual(['alerts', 'market_data']);
    expect(store.positionsOf('opened')).toEqual({ alerts: '3-0' });
  });

  it('stops writing a session that a newer connection took over', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    const old = new FakeConnection();
    const recorder = old.recorder(flusher, 'shared');
    old.move('alerts', '1-0');
    await flusher.flush();
    store.owners.set('shared', 'newer-connection');
    store.data.set('shared', 'newer data');
    old.move('alerts', '2-0');
    expect(await flusher.flush()).toMatchObject({ recorders: 1, writes: 1, failures: 0 });
    expect(store.data.get('shared')).toBe('newer data');

    old.move('alerts', '3-0');
    expect(await flusher.flush()).toEqual({ recorders: 0, writes: 0, pipelines: 0, failures: 0 });
    await recorder.stop();
    expect(store.batches).toHaveLength(2);
    expect(store.data.get('shared')).toBe('newer data');
  });

  it('sends the final writes of one turn together, at once, without waiting for a flush', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    flusher.start(); // an hour between flushes
    const connections = Array.from({ length: 3 }, () => new FakeConnection());
    const recorders = connections.map((connection, index) => connection.recorder(flusher, `final-${index}`));
    connections.forEach((connection) => connection.move('alerts', '1-0'));
    await flusher.flush(); // confirms 1-0
    connections.forEach((connection) => connection.move('portfolio_updates', '7-0'));

    await Promise.all(recorders.map((recorder) => recorder.stop()));
    expect(store.batches).toHaveLength(2);
    expect(store.batches[1]).toHaveLength(3);
    for (const index of [0, 1, 2]) {
      expect(store.channelsOf(`final-${index}`)).toEqual(['alerts', 'portfolio_updates']);
      expect(store.positionsOf(`final-${index}`)).toEqual({ alerts: '1-0' });
    }
    expect(flusher.stats().recorders).toBe(0);
    // Idempotent: no second final write.
    await recorders[0].stop();
    expect(store.batches).toHaveLength(2);
  });

  it('skips the final write when the session holds that record already and its TTL is fresh', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    const connection = new FakeConnection();
    const recorder = connection.recorder(flusher, 'unchanged');
    connection.move('alerts', '1-0');
    await flusher.flush();
    await flusher.flush();
    const writes = store.batches.length;
    await recorder.stop();
    expect(store.batches).toHaveLength(writes);
  });

  it('sends a final write only after the write of the flush under way has been answered', async () => {
    const store = new FakeStore();
    const flusher = flusherFor(store);
    const connection = new FakeConnection();
    const recorder = connection.recorder(flusher, 'ordered');
    connection.move('alerts', '1-0');
    let open = (): void => undefined;
    store.gate = new Promise((resolve) => (open = resolve));
    const flushing = flusher.flush();
    await waitFor(() => store.batches.length === 1);
    connection.move('alerts', '2-0');
    const stopping = recorder.stop();
    // The final write waits behind the flush's write.
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.batches).toHaveLength(1);
    open();
    await Promise.all([flushing, stopping]);
    expect(store.batches).toHaveLength(2);
    expect(store.positionsOf('ordered')).toEqual({ alerts: '1-0' });
    expect(store.channelsOf('ordered')).toEqual(['alerts']);
  });

  it('counts every failed write, logs once when writes start failing and once when they work again, and retries at the next flush', async () => {
    const store = new FakeStore();
    const { logger, lines } = capturingLogger();
    const flusher = flusherFor(store, { logger });
    const connections = Array.from({ length: 4 }, () => new FakeConnection());
    connections.forEach((connection, index) => {
      connection.recorder(flusher, `failing-${index}`);
      connection.move('alerts', '1-0');
    });
    store.failWith = new Error('READONLY You can not write against a read only replica.');
    for (let flush = 0; flush < 3; flush++) expect(await flusher.flush()).toMatchObject({ writes: 4, failures: 4 });
    expect(await failures()).toBe(12);
    expect(lines.filter((line) => line['level'] === 40)).toHaveLength(1);
    expect(store.data.size).toBe(0);

    store.failWith = undefined;
    expect(await flusher.flush()).toMatchObject({ writes: 4, failures: 0 });
    expect(store.data.size).toBe(4);
    expect(lines.filter((line) => line['level'] === 30 && line['msg'] === 'writing sessions works again')).toHaveLength(1);
    await flusher.flush();
    expect(lines.filter((line) => Number(line['level']) >= 30)).toHaveLength(2);
  });

  it('flushes on its own timer, once per interval, and stops idempotently after the flush under way', async () => {
    jest.useFakeTimers();
    try {
      const store = new FakeStore();
      const flusher = flusherFor(store, { intervalMs: 10, now: Date.now });
      const connection = new FakeConnection();
      connection.recorder(flusher, 'timed');
      flusher.start();
      flusher.start();
      connection.move('alerts', '1-0');
      await jest.advanceTimersByTimeAsync(10);
      expect(flusher.stats().flushes).toBe(1);
      expect(store.channelsOf('timed')).toEqual(['alerts']);
      await jest.advanceTimersByTimeAsync(30);
      expect(flusher.stats().flushes).toBe(4);
      expect(store.positionsOf('timed')).toEqual({ alerts: '1-0' });

      const stopped = flusher.stop();
      expect(flusher.stop()).toBe(stopped);
      await stopped;
      connection.move('alerts', '2-0');
      await jest.advanceTimersByTimeAsync(100);
      expect(flusher.stats().flushes).toBe(4);
      expect(store.positionsOf('timed')).toEqual({ alerts: '1-0' });
    } finally {
      jest.useRealTimers();
    }
  });
});
