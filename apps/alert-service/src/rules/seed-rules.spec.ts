import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleDefinitions } from './rule-definition';
import { seedRules } from './seed-rules';

describe('seed-rules.json', () => {
  it('validates, with unique ids', () => {
    const raw: unknown = JSON.parse(readFileSync(join(__dirname, 'seed-rules.json'), 'utf8'));
    expect(() => parseRuleDefinitions(raw)).not.toThrow();
    expect(seedRules().map((rule) => rule.id)).toEqual((raw as Array<{ id: string }>).map((rule) => rule.id));
  });

  it('covers every kind the product asked for', () => {
    const rules = seedRules();
    const ids = (kind: string) => rules.filter((rule) => rule.kind === kind).map((rule) => rule.id);
    expect(ids('price_threshold')).toEqual(['btc-price-above', 'btc-price-below', 'eth-price-above', 'eth-price-below']);
    expect(ids('price_change')).toEqual(['btc-change-1h', 'eth-change-1h']);
    expect(ids('risk_threshold')).toEqual(['risk-var-95', 'risk-max-drawdown']);
    expect(ids('service_health')).toEqual(['service-health']);
  });

  it('drifts at 5 points (S2, Slow) and 10 points (S3, Freeze)', () => {
    const drift = seedRules().find((rule) => rule.id === 'portfolio-drift');
    expect(drift).toMatchObject({
      kind: 'portfolio_drift',
      band: 'absolute',
      severities: { S2: 5, S3: 10 },
      actions: { S2: { type: 'apply_policy', mode: 'Slow' }, S3: { type: 'apply_policy', mode: 'Freeze' } },
    });
  });

  it('watches 5% moves in one hour', () => {
    const change = seedRules().find((rule) => rule.id === 'btc-change-1h');
    expect(change).toMatchObject({ windowSeconds: 3600, direction: 'either', severities: { S2: 5 } });
  });

  it('returns fresh objects on each call', () => {
    const first = seedRules();
    (first[0] as { name: string }).name = 'changed';
    expect(seedRules()[0]?.name).not.toBe('changed');
  });
});
