import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redrawCharts } from './report';

const REPORT = [
  '# Benchmarks',
  '',
  'Intro text.',
  '',
  '<!-- bench:consumer -->',
  '## Consumer group events per second',
  '',
  '| side | events/s | ratio to raw loop (limit) |',
  '|---|---:|---:|',
  '| raw loop (limit) | 61,185 | 1.00 |',
  '| ConsumerGroupRunner (library) | 70,233 | 1.15 |',
  '| BullMQ Worker (peer) | 6,605 | 0.11 |',
  '',
  'CPU per event.',
  '<!-- /bench:consumer -->',
  '',
  '<!-- bench:notes -->',
  '## Notes',
  '',
  'No table here.',
  '<!-- /bench:notes -->',
  '',
].join('\n');

describe('redrawCharts', () => {
  let dir: string;
  let files: { markdown: string; charts: string };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    files = { markdown: join(dir, 'benchmarks.md'), charts: join(dir, 'images', 'bench') };
    writeFileSync(files.markdown, REPORT);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each section’s charts and image lines from the report alone, and a second run changes nothing', () => {
    expect(redrawCharts(files)).toEqual(['consumer', 'notes']);
    const once = readFileSync(files.markdown, 'utf8');
    expect(once).toBe(
      REPORT.replace(
        '| BullMQ Worker (peer) | 6,605 | 0.11 |\n',
        '| BullMQ Worker (peer) | 6,605 | 0.11 |\n\n![Consumer group events per second](images/bench/consumer-1.svg)\n',
      ),
    );
    expect(readdirSync(files.charts)).toEqual(['consumer-1.svg']);
    const svg = readFileSync(join(files.charts, 'consumer-1.svg'), 'utf8');
    const svgTime = statSync(join(files.charts, 'consumer-1.svg')).mtimeMs;

    redrawCharts(files);
    expect(readFileSync(files.markdown, 'utf8')).toBe(once);
    expect(readFileSync(join(files.charts, 'consumer-1.svg'), 'utf8')).toBe(svg);
    expect(statSync(join(files.charts, 'consumer-1.svg')).mtimeMs).toBe(svgTime);
  });

  it('removes chart files of a section that it no longer draws, and only that section’s', () => {
    redrawCharts(files);
    writeFileSync(join(files.charts, 'consumer-2.svg'), '<svg/>');
    writeFileSync(join(files.charts, 'consumer-extra-1.svg'), '<svg/>');
    writeFileSync(join(files.charts, 'cache-1.svg'), '<svg/>');
    redrawCharts(files);
    expect(readdirSync(files.charts).sort()).toEqual(['cache-1.svg', 'consumer-1.svg', 'consumer-extra-1.svg']);
  });
});
