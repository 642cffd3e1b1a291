import { axisLabel, barsOf, chartSection, chooseColumn, stripChartLines } from './charts';
import { parseTables } from './markdown-tables';

const CACHE = [
  'Machine: 2 × AMD EPYC.',
  '',
  '### SET',
  '| side | ops/s | ratio to ioredis SET (raw) |',
  '|---|---:|---:|',
  '| Cache.set (library) | 90,400 | 1.74 |',
  '| ioredis SET (raw) | 51,932 | 1.00 |',
  '| redis-benchmark SET (C clients, no pipelining) | 47,248 | 0.91 |',
  '',
  '### GET',
  '| side | ops/s | ratio to ioredis GET (raw) |',
  '|---|---:|---:|',
  '| Cache.get (library) | 174,927 | 1.85 |',
  '| ioredis GET (raw) | 94,523 | 1.00 |',
  '',
  'The library against raw ioredis: set 1.74×.',
].join('\n');

const GATEWAY = [
  '### 10,000 clients',
  '| side | deliveries/s | p99 ms | deliveries/s per server core (1M ÷ CPU s) | deliveries/s ÷ limit | CPU per delivery ÷ limit | CPU per delivery ÷ peer |',
  '|---|---:|---:|---:|---:|---:|---:|',
  '| streaming gateway (ours) | 19,964 | 318 | 36,880 | 1.00 | 1.53 | 0.90 |',
  '| socket.io (peer) | 20,188 | 322 | 33,314 | 1.01 | 1.70 | 1.00 |',
  '| bare ws broadcast (limit) | 19,942 | 208 | 56,545 | 1.00 | 1.00 | 0.59 |',
  '',
  '| side | server CPU (cores) | Redis commands/s (busiest) |',
  '|---|---:|---|',
  '| streaming gateway (ours) | 0.54 | 18,661 (pexpire 4,664) |',
  '| socket.io (peer) | 0.61 | 6 (xread 4) |',
  '',
  '### Memory per idle connection',
  '| side | connections open | KiB per idle connection | ÷ limit | ÷ peer |',
  '|---|---:|---:|---:|---:|',
  '| streaming gateway (ours) | 15,000 | 13.7 | 3.02 | 1.14 |',
  '| socket.io (peer) | 15,000 | 11.9 | 2.64 | 1.00 |',
  '| bare ws broadcast (limit) | 15,000 | 4.5 | 1.00 | 0.38 |',
].join('\n');

const HEALTH = [
  '### Time of one full check',
  '| side | mean ms | p50 ms |',
  '|---|---:|---:|',
  '| health monitor check (Redis + streams) | 19.3 | 15.0 |',
  "| redis_exporter's pattern (peer) | 52.7 | 33.2 |",
  '',
  '### Added load on Redis',
  '| command | calls | per check |',
  '|---|---:|---:|',
  '| xlen | 2000 | 50.0 |',
  '| set | 40 | 1.0 |',
  '',
  '| events | 0 | 25,000 |',
  '|---|---:|---:|',
  '| keys | 12 | 25,762 |',
].join('\n');

describe('chooseColumn', () => {
  it('takes the ratio column of a table', () => {
    const [set] = parseTables(CACHE);
    expect(chooseColumn(set)).toEqual({ index: 2, ratio: true });
  });

  it('passes over a ratio column that hardly moves and a ÷ inside brackets', () => {
    const [tenK, , memory] = parseTables(GATEWAY);
    expect(chooseColumn(tenK)).toEqual({ index: 5, ratio: true }); // CPU per delivery ÷ limit
    expect(chooseColumn(memory)).toEqual({ index: 3, ratio: true }); // ÷ limit
  });

  it('takes the first figure of a side table without ratios, once per heading', () => {
    const [tenK, secondary] = parseTables(GATEWAY);
    const [time] = parseTables(HEALTH);
    expect(chooseColumn(time)).toEqual({ index: 1, ratio: false });
    expect(chooseColumn(secondary, true)).toBeUndefined();
    expect(chooseColumn(secondary, false)).toEqual({ index: 1, ratio: false });
    expect(chooseColumn(tenK, true)).toEqual({ index: 5, ratio: true }); // ratios are always charted
  });

  it('charts no table of things other than sides without a ratio, nor a one-row table', () => {
    const [, commands, keys] = parseTables(HEALTH);
    expect(chooseColumn(commands)).toBeUndefined();
    expect(chooseColumn(keys)).toBeUndefined();
  });

  it('charts no table whose rows are named by numbers', () => {
    const [replicas] = parseTables('| replicas | ratio to one |\n|---:|---:|\n| 1 | 1.00 |\n| 2 | 1.90 |');
    expect(chooseColumn(replicas)).toBeUndefined();
  });
});

describe('axisLabel', () => {
  it('names what a bare ÷ column divides', () => {
    const [tenK, , memory] = parseTables(GATEWAY);
    expect(axisLabel(memory, { index: 3, ratio: true })).toBe('KiB per idle connection ÷ limit');
    expect(axisLabel(memory, { index: 4, ratio: true })).toBe('KiB per idle connection ÷ peer');
    expect(axisLabel(tenK, { index: 5, ratio: true })).toBe('CPU per delivery ÷ limit');
  });
});

describe('barsOf', () => {
  it('marks (library), (ours) and (service) sides as ours and the rest not', () => {
    const [set] = parseTables(CACHE);
    expect(barsOf(set, { index: 2, ratio: true })).toEqual([
      { label: 'Cache.set (library)', value: 1.74, text: '1.74×', ours: true },
      { label: 'ioredis SET (raw)', value: 1, text: '1.00×', ours: false },
      { label: 'redis-benchmark SET (C clients, no pipelining)', value: 0.91, text: '0.91×', ours: false },
    ]);
  });

  it('takes unmarked sides as ours when no side is marked ours', () => {
    const [time] = parseTables(HEALTH);
    expect(barsOf(time, { index: 1, ratio: false }).map((b) => [b.text, b.ours])).toEqual([
      ['19.3', true],
      ['52.7', false],
    ]);
  });
});

describe('chartSection', () => {
  it('puts an image line under each charted table and changes nothing else', () => {
    const { body, charts } = chartSection('cache', 'Cache operations per second', CACHE);
    expect(charts.map((c) => [c.file, c.title])).toEqual([
      ['cache-1.svg', 'SET — Cache operations per second'],
      ['cache-2.svg', 'GET — Cache operations per second'],
    ]);
    const lines = body.split('\n');
    expect(lines.slice(7, 11)).toEqual([
      '| redis-benchmark SET (C clients, no pipelining) | 47,248 | 0.91 |',
      '',
      '![SET — Cache operations per second](images/bench/cache-1.svg)',
      '',
    ]);
    expect(lines.filter((l) => !l.startsWith('![')).join('\n').replace(/\n\n+/g, '\n\n')).toBe(CACHE);
    expect(stripChartLines(body)).toBe(CACHE);
  });

  it('titles a table without a heading by the section and escapes brackets in the alt text', () => {
    const table = '| side | ratio to a (limit) |\n|---|---:|\n| ours (library) | 2.0 |\n| a (limit) | 1.0 |';
    const { body, charts } = chartSection('x', 'Events [per second]', table);
    expect(charts[0].title).toBe('Events [per second]');
    expect(body.endsWith('\n\n![Events \\[per second\\]](images/bench/x-1.svg)')).toBe(true);
    expect(chartSection('x', 'Events [per second]', body).body).toBe(body);
  });

  it('adds a blank line when text follows a table directly', () => {
    const table = '| side | ratio to a (limit) |\n|---|---:|\n| ours (library) | 2.0 |\n| a (limit) | 1.0 |\nText.';
    const once = chartSection('x', 'T', table).body;
    expect(once.split('\n').slice(4)).toEqual(['', '![T](images/bench/x-1.svg)', '', 'Text.']);
    expect(chartSection('x', 'T', once).body).toBe(once);
  });

  it('gives the same body and charts when charting its own output, and for the same input', () => {
    const once = chartSection('gateway', 'Gateway fan-out', GATEWAY);
    const twice = chartSection('gateway', 'Gateway fan-out', once.body);
    expect(twice).toEqual(once);
    expect(chartSection('gateway', 'Gateway fan-out', GATEWAY)).toEqual(once);
    expect(once.charts.map((c) => c.file)).toEqual(['gateway-1.svg', 'gateway-2.svg']);
  });

  it('refuses a section id that cannot name a file', () => {
    expect(() => chartSection('../x', 'T', CACHE)).toThrow('kebab-case');
  });
});
