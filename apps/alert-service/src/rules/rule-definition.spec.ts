import { parseRuleDefinition, parseRuleDefinitions, type RuleDefinitionInput } from './rule-definition';
import { observe } from './observe';
import { RuleValidationError } from './rule-validation-error';

const priceRule = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'btc-above',
  name: 'BTC above',
  kind: 'price_threshold',
  symbol: 'BTC',
  direction: 'above',
  severities: { S1: 100, S2: 110, S3: 120 },
  ...overrides,
});

/** The validation error of `input`, or a failure when it validates. */
function rejection(run: () => unknown): RuleValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleValidationError) return error;
    throw error;
  }
  throw new Error('expected a RuleValidationError');
}
const fieldsOf = (input: unknown) => rejection(() => parseRuleDefinition(input)).issues.map((issue) => issue.field);

describe('parseRuleDefinition', () => {
  it('applies the defaults of the common fields', () => {
    const rule = parseRuleDefinition(priceRule());
    expect(rule).toMatchObject({ enabled: true, pendingSeconds: 0, keepFiringSeconds: 0, cooldownSeconds: 0 });
    expect(rule.recovery).toBeUndefined();
  });

  it('accepts a minimal rule of every kind', () => {
    const inputs: RuleDefinitionInput[] = [
      { id: 'a', name: 'a', kind: 'price_threshold', symbol: 'BTC', direction: 'below', severities: { S1: 50, S3: 40 } },
      { id: 'b', name: 'b', kind: 'price_change', symbol: 'ETH', windowSeconds: 3600, direction: 'up', severities: { S2: 5 } },
      { id: 'c', name: 'c', kind: 'portfolio_drift', band: 'relative', severities: { S2: 20 } },
      { id: 'd', name: 'd', kind: 'risk_threshold', metric: 'max_drawdown', severities: { S3: 0.3 } },
      { id: 'e', name: 'e', kind: 'service_health', severities: { S2: 1, S3: 2 } },
    ];
    expect(inputs.map((input) => parseRuleDefinition(input).kind)).toEqual([
      'price_threshold',
      'price_change',
      'portfolio_drift',
      'risk_threshold',
      'service_health',
    ]);
    expect(parseRuleDefinition(inputs[3])).toMatchObject({ kind: 'risk_threshold', direction: 'above' });
  });

  it('throws ERR_RULE_INVALID naming the field of a missing kind-specific field', () => {
    const error = rejection(() => parseRuleDefinition(priceRule({ symbol: undefined })));
    expect(error.code).toBe('ERR_RULE_INVALID');
    expect(error.issues).toEqual([expect.objectContaining({ field: 'symbol', path: ['symbol'] })]);
    expect(error.message).toContain('symbol');
  });

  it('reports every problem at once, each with its field', () => {
    expect(fieldsOf(priceRule({ id: 'Bad Id', name: '', typo: 1, severities: {} })).sort()).toEqual(
      ['id', 'name', 'severities', 'typo'].sort(),
    );
  });

  it('names the kind when it is not a known kind', () => {
    expect(fieldsOf(priceRule({ kind: 'weather' }))).toEqual(['kind']);
  });

  it('rejects thresholds that are not monotonic in the rule direction', () => {
    expect(fieldsOf(priceRule({ severities: { S1: 100, S2: 90, S3: 120 } }))).toEqual(['severities.S2']);
    expect(fieldsOf(priceRule({ direction: 'below', severities: { S1: 100, S3: 120 } }))).toEqual(['severities.S3']);
    expect(() => parseRuleDefinition(priceRule({ direction: 'below', severities: { S1: 100, S2: 90, S3: 80 } }))).not.toThrow();
  });

  it('rejects a recovery level on the unsafe side of the least severe threshold', () => {
    expect(fieldsOf(priceRule({ recovery: 101 }))).toEqual(['recovery']);
    expect(fieldsOf(priceRule({ direction: 'below', severities: { S1: 100, S2: 90 }, recovery: 99 }))).toEqual(['recovery']);
    expect(parseRuleDefinition(priceRule({ recovery: 100 })).recovery).toBe(100);
    expect(parseRuleDefinition(priceRule({ direction: 'below', severities: { S2: 100 }, recovery: 102 })).recovery).toBe(102);
  });

  it('rejects a recovery level that a never-negative value could not pass', () => {
    const drift = { id: 'd', name: 'd', kind: 'portfolio_drift', band: 'absolute', severities: { S2: 5 } };
    expect(fieldsOf({ ...drift, recovery: 0 })).toEqual(['recovery']);
    expect(parseRuleDefinition({ ...drift, recovery: 4 }).recovery).toBe(4);
  });

  it('checks the threshold range of each kind', () => {
    expect(fieldsOf(priceRule({ severities: { S1: 0 } }))).toEqual(['severities.S1']);
    const change = { id: 'c', name: 'c', kind: 'price_change', symbol: 'BTC', direction: 'down', windowSeconds: 0 };
    expect(fieldsOf({ ...change, severities: { S2: -5 } }).sort()).toEqual(['severities.S2', 'windowSeconds']);
    const health = { id: 'h', name: 'h', kind: 'service_health' };
    expect(fieldsOf({ ...health, severities: { S2: 1, S3: 3 } })).toEqual(['severities.S3']);
    expect(fieldsOf(priceRule({ severities: { S1: Number.POSITIVE_INFINITY } }))).toEqual(['severities.S1']);
  });

  it('rejects negative, fractional or too long periods', () => {
    expect(fieldsOf(priceRule({ pendingSeconds: -1, keepFiringSeconds: 1.5, cooldownSeconds: 8 * 86_400 })).sort()).toEqual([
      'cooldownSeconds',
      'keepFiringSeconds',
      'pendingSeconds',
    ]);
  });

  it('validates actions and allows them only for defined severities', () => {
    expect(fieldsOf(priceRule({ severities: { S2: 110 }, actions: { S1: { type: 'apply_policy', mode: 'Slow' } } }))).toEqual([
      'actions.S1',
    ]);
    expect(fieldsOf(priceRule({ actions: { S3: { type: 'apply_policy', mode: 'Panic' } } }))).toEqual(['actions.S3.mode']);
    expect(fieldsOf(priceRule({ actions: { S3: { type: 'page_everyone' } } }))).toEqual(['actions.S3.type']);
    const rule = parseRuleDefinition(priceRule({ actions: { S3: { type: 'apply_policy', mode: 'Freeze' } } }));
    expect(rule.actions?.S3).toEqual({ type: 'apply_policy', mode: 'Freeze' });
  });

  it('rejects static labels with reserved or malformed names', () => {
    expect(fieldsOf(priceRule({ labels: { symbol: 'ETH', team: 'desk' } }))).toEqual(['labels.symbol']);
    expect(fieldsOf(priceRule({ labels: { 'team-name': 'desk' } }))).toEqual(['labels.team-name']);
  });

  it('rejects annotation templates naming unknown variables, and accepts static label names', () => {
    const error = rejection(() => parseRuleDefinition(priceRule({ annotations: { description: '{{ symbl }} at {{price}}' } })));
    expect(error.issues.map((issue) => issue.field)).toEqual(['annotations.description']);
    expect(error.issues[0]?.message).toContain('{{symbl}}');
    const rule = parseRuleDefinition(priceRule({ labels: { team: 'desk' }, annotations: { summary: '{{team}}: {{symbol}} {{value}}' } }));
    expect(rule.annotations?.summary).toBe('{{team}}: {{symbol}} {{value}}');
  });

  it('reports a non-object input at the root', () => {
    expect(rejection(() => parseRuleDefinition('rule')).issues).toEqual([expect.objectContaining({ field: '', path: [] })]);
  });
});

describe('parseRuleDefinitions', () => {
  it('prefixes each field with the index of its rule and rejects duplicate ids', () => {
    const error = rejection(() => parseRuleDefinitions([priceRule(), priceRule({ severities: { S1: 100, S2: 50 } }), priceRule()]));
    expect(error.issues.map((issue) => issue.field)).toEqual(['[1].severities.S2', '[2].id']);
    expect(error.issues[0]?.path).toEqual([1, 'severities', 'S2']);
  });

  it('rejects an input that is not an array', () => {
    expect(rejection(() => parseRuleDefinitions({})).code).toBe('ERR_RULE_INVALID');
  });
});

describe('trigger and expiresAt (issue 15)', () => {
  it('defaults the trigger to every_time and takes once and {once_per}', () => {
    expect(parseRuleDefinition(priceRule()).trigger).toBe('every_time');
    expect(parseRuleDefinition(priceRule({ trigger: 'once' })).trigger).toBe('once');
    expect(parseRuleDefinition(priceRule({ trigger: { once_per: '1h' } })).trigger).toEqual({ once_per: '1h' });
    expect(parseRuleDefinition(priceRule({ expiresAt: '2026-12-31T23:59:59+01:00' })).expiresAt).toBe('2026-12-31T23:59:59+01:00');
  });

  it('refuses a bad trigger or expiresAt, naming the field', () => {
    for (const trigger of ['always', 'ONCE', 5, null, { once_per: '1' }, { once_per: '0s' }, { once_per: '31d' }, { once_per: '1.5h' }, { once_per: '1h', extra: 1 }, { every: '1h' }, []]) {
      expect(fieldsOf(priceRule({ trigger }))).toEqual([expect.stringMatching(/^trigger/)]);
    }
    for (const expiresAt of ['tomorrow', '2026-12-31', '2026-12-31T23:59:59', 1_800_000_000_000, null]) {
      expect(fieldsOf(priceRule({ expiresAt }))).toEqual(['expiresAt']);
    }
  });

  it('evaluates nothing at or after expiresAt, by the event time', () => {
    const rule = parseRuleDefinition(priceRule({ expiresAt: '2025-03-01T12:00:00Z' }));
    const event = (time: string) => ({ type: 'price_update', subject: 'BTC', time, data: { symbol: 'BTC', price: 150 } });
    expect(observe(rule, event('2025-03-01T11:59:59.999Z'))).toHaveLength(1);
    expect(observe(rule, event('2025-03-01T12:00:00.000Z'))).toEqual([]);
  });
});
