import { labelSelectorMatches } from './label-selector-matches';

describe('labelSelectorMatches', () => {
  const labels = { 'app.kubernetes.io/name': 'alert-service', tier: 'api' };

  it('matches when every matchLabels pair is present', () => {
    expect(labelSelectorMatches({ matchLabels: { tier: 'api' } }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { tier: 'api', other: 'x' } }, labels)).toBe(false);
  });

  it('evaluates In, NotIn, Exists and DoesNotExist expressions', () => {
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['alert-service', 'x'] }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['alert-service'] }] }, labels)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });

  it('matches everything with an empty selector and nothing without one', () => {
    expect(labelSelectorMatches({}, labels)).toBe(true);
    expect(labelSelectorMatches(undefined, labels)).toBe(false);
  });
});
