import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parsePrometheusText, PrometheusFormatError, sampleValue } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads what prom-client writes: counters, gauges with escaped labels, histograms', async () => {
    const registry = new Registry();
    new Counter({ name: 'a_total', help: 'a', registers: [registry] }).inc(3);
    new Gauge({ name: 'b', help: 'b', labelNames: ['x'], registers: [registry] }).set({ x: 'q"u\\o\nte' }, 1.5);
    new Histogram({ name: 'c_seconds', help: 'c', buckets: [1], registers: [registry] }).observe(0.5);
    const families = parsePrometheusText(await registry.metrics());
    expect(sampleValue(families, 'a_total')).toBe(3);
    expect(sampleValue(families, 'b', { x: 'q"u\\o\nte' })).toBe(1.5);
    expect(sampleValue(families, 'c_seconds_bucket', { le: '+Inf' })).toBe(1);
    expect(sampleValue(families, 'c_seconds_count')).toBe(1);
  });

  it.each([
    ['a sample without TYPE', '# HELP x x\nx 1\n'],
    ['a TYPE after the samples', '# HELP x x\n# TYPE x gauge\nx 1\n# TYPE x gauge\n'],
    ['a duplicated series', '# HELP x x\n# TYPE x gauge\nx{a="1"} 1\nx{a="1"} 2\n'],
    ['interleaved families', '# HELP x x\n# TYPE x gauge\n# HELP y y\n# TYPE y gauge\ny 1\nx 1\n'],
    ['an unquoted label value', '# HELP x x\n# TYPE x gauge\nx{a=1} 1\n'],
    ['a bad value', '# HELP x x\n# TYPE x gauge\nx one\n'],
    ['a bad metric name', '# HELP 1x x\n# TYPE 1x gauge\n'],
    ['a family without HELP', '# TYPE x gauge\nx 1\n'],
    ['a missing final newline', '# HELP x x\n# TYPE x gauge\nx 1'],
    ['a negative counter', '# HELP x x\n# TYPE x counter\nx -1\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow(PrometheusFormatError);
  });
});
