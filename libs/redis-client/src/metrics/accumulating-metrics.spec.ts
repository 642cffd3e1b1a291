import { Counter, Histogram, Registry } from 'prom-client';
import { accumulatingCounter } from './accumulating-counter';
import { accumulatingHistogram } from './accumulating-histogram';

describe('accumulatingCounter', () => {
  it('exports what prom-client children would, each time the counter is read', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const config = { name: 'test_things_total', help: 'Things.', labelNames: ['kind'] as const };
    const metric = new Counter({ ...config, registers: [ours] });
    const reference = new Counter({ ...config, registers: [theirs] });
    const a = accumulatingCounter(metric, { kind: 'a' });
    const b = accumulatingCounter(metric, { kind: 'b' });

    a.inc();
    a.inc(2);
    reference.labels({ kind: 'a' }).inc();
    reference.labels({ kind: 'a' }).inc(2);
    expect(await ours.metrics()).toBe(await theirs.metrics());

    b.inc(0.5);
    a.inc();
    reference.labels({ kind: 'b' }).inc(0.5);
    reference.labels({ kind: 'a' }).inc();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect((await metric.get()).values).toEqual((await reference.get()).values);
  });

  it('keeps a collect function the counter already had', async () => {
    let collected = 0;
    const metric = new Counter({ name: 'test_collected_total', help: 'h', labelNames: ['k'], registers: [], collect: () => void collected++ });
    accumulatingCounter(metric, { k: 'x' }).inc(3);
    expect((await metric.get()).values).toEqual([{ labels: { k: 'x' }, value: 3 }]);
    expect(collected).toBe(1);
  });

  it('refuses a negative or non-finite increment', () => {
    const child = accumulatingCounter(new Counter({ name: 'test_refuse_total', help: 'h', labelNames: ['k'], registers: [] }), { k: 'x' });
    expect(() => child.inc(-1)).toThrow(TypeError);
    expect(() => child.inc(Number.NaN)).toThrow(TypeError);
    expect(() => child.inc(Infinity)).toThrow(TypeError);
  });
});

describe('accumulatingHistogram', () => {
  it('exports the same series as a prom-client histogram fed the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const config = { name: 'test_duration_seconds', help: 'Time taken.', labelNames: ['stream', 'group'] as const };
    const metric = accumulatingHistogram({ ...config, registry: ours });
    const reference = new Histogram({ ...config, registers: [theirs] });
    const observations = [0, 0.001, 0.005, 0.0051, 0.3, 2, 10, 11, 1e6];
    for (const [labels, values] of [
      [{ stream: 's1', group: 'g' }, observations],
      [{ stream: 's2', group: 'g' }, [0.02]],
    ] as const) {
      const child = metric.child(labels);
      for (const value of values) {
        child.observe(value);
        reference.observe(labels, value);
      }
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // prom-client adds an empty exemplar to each value; nothing else may differ.
    const withoutExemplars = (values: Array<Record<string, unknown>>) => values.map(({ exemplar: _exemplar, ...value }) => value);
    expect(withoutExemplars((await metric.get()).values as never)).toEqual(withoutExemplars((await reference.get()).values as never));
  });

  it('is shared by name within a registry and refuses a name taken by another kind of metric', () => {
    const registry = new Registry();
    const config = { name: 'test_shared_seconds', help: 'h', labelNames: ['k'] as const, registry };
    expect(accumulatingHistogram(config)).toBe(accumulatingHistogram(config));
    new Counter({ name: 'test_taken_seconds', help: 'h', registers: [registry] });
    expect(() => accumulatingHistogram({ ...config, name: 'test_taken_seconds' })).toThrow(/another type/);
  });

  it('hands out one child per label set, and refuses a missing label', () => {
    const metric = accumulatingHistogram({ name: 'test_children_seconds', help: 'h', labelNames: ['a', 'b'], registry: new Registry() });
    expect(metric.child({ a: '1', b: '2' })).toBe(metric.child({ a: '1', b: '2' }));
    expect(() => metric.child({ a: '1' } as { a: string; b: string })).toThrow(/label b/);
  });
});
