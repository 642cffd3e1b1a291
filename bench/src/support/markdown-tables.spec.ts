import { isMissing, parseNumber, parseTables, splitRow } from './markdown-tables';

describe('parseTables', () => {
  const body = [
    'Machine: somewhere.',
    '',
    '| side | ops/s | ratio to raw (raw) |',
    '|---|---:|---:|',
    '| Cache.set (library) | 90,400 | 1.74 |',
    '| raw SET (raw) | 51,932 | 1.00 |',
    '',
    '### GET',
    '| side | ops/s |',
    '| --- | :---: |',
    '| a \\| b | 1 |',
    '| short row |',
    'Text after.',
  ].join('\n');

  it('finds each table with its header, rows, line range and the heading above it', () => {
    const [first, second] = parseTables(body);
    expect(first).toEqual({
      heading: undefined,
      header: ['side', 'ops/s', 'ratio to raw (raw)'],
      rows: [
        ['Cache.set (library)', '90,400', '1.74'],
        ['raw SET (raw)', '51,932', '1.00'],
      ],
      firstLine: 2,
      lastLine: 5,
    });
    expect(second.heading).toBe('GET');
    expect(second.firstLine).toBe(8);
    expect(second.lastLine).toBe(11);
  });

  it('unescapes \\| inside a cell and pads short rows to the header', () => {
    const [, second] = parseTables(body);
    expect(second.rows).toEqual([
      ['a | b', '1'],
      ['short row', ''],
    ]);
  });

  it('ignores pipe lines without a delimiter row', () => {
    expect(parseTables('| not | a table |\n| just | text |')).toEqual([]);
  });
});

describe('splitRow', () => {
  it('drops the outer pipes and trims the cells', () => {
    expect(splitRow('|  a | b  |c|')).toEqual(['a', 'b', 'c']);
  });
});

describe('parseNumber', () => {
  it.each([
    ['90,400', 90400],
    ['1.74', 1.74],
    ['0.017', 0.017],
    ['1.15×', 1.15],
    ['1,234,567.5', 1234567.5],
    ['12 %', 12],
    ['`3`', 3],
  ])('reads %s as %d', (cell, value) => {
    expect(parseNumber(cell)).toBe(value);
  });

  it.each(['176 (191)', '18,661 (pexpire 4,664)', 'yes', '', '1,23', '12,3456'])('reads no number in "%s"', (cell) => {
    expect(parseNumber(cell)).toBeUndefined();
  });
});

describe('isMissing', () => {
  it('knows the cells that stand for no value', () => {
    expect(['', '-', '—', 'n/a', '?'].every(isMissing)).toBe(true);
    expect(isMissing('0')).toBe(false);
  });
});
