import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@rebal/redis-client';
import { seedRules } from '../rules';
import { loadSeedRules } from './load-seed-rules';

describe('loadSeedRules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seed-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('returns the built-in seed rules without a file, and the file\'s rules with one', () => {
    expect(loadSeedRules(undefined)).toEqual(seedRules());
    const rules = loadSeedRules(file('one.json', JSON.stringify([{ id: 'x', name: 'X', kind: 'price_threshold', symbol: 'X', direction: 'above', severities: { S1: 1 } }])));
    expect(rules.map((rule) => rule.id)).toEqual(['x']);
  });

  it('refuses a missing file, bad JSON and invalid rules with a ConfigError naming ALERT_SEED_FILE and the field', () => {
    expect(() => loadSeedRules(join(dir, 'missing.json'))).toThrow(ConfigError);
    expect(() => loadSeedRules(file('bad.json', '{'))).toThrow(/^ALERT_SEED_FILE: .*not valid JSON/);
    expect(() => loadSeedRules(file('invalid.json', '[{"id":"x","kind":"price_threshold"}]'))).toThrow(/\[0\]\.name/);
  });
});
