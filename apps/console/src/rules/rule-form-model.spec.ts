import type { RuleJson } from '../api/alert-api';
import { ruleFormValues, ruleFromForm, ruleTarget, ruleThresholds } from './rule-form-model';

const stored: RuleJson = {
  id: 'sol-above',
  name: 'SOL above',
  kind: 'price_threshold',
  enabled: true,
  symbol: 'SOL',
  direction: 'above',
  severities: { S1: 250, S2: 300 },
  recovery: 240,
  pendingSeconds: 0,
  keepFiringSeconds: 0,
  cooldownSeconds: 900,
  labels: { team: 'desk' },
  actions: { S2: { type: 'apply_policy', mode: 'Slow' } },
  annotations: { summary: 'SOL at {{price}}', description: 'kept' },
};

describe('the rule form', () => {
  it('builds a new rule from the form: numbers for number fields, empty fields left out', () => {
    const body = ruleFromForm({
      id: ' btc-above ',
      name: 'BTC above',
      kind: 'price_threshold',
      enabled: 'true',
      symbol: 'BTC',
      direction: 'above',
      'severities.S2': '70000',
      'severities.S3': '',
      pendingSeconds: '60',
      windowSeconds: '30', // not a field of this kind: left out
      'annotations.summary': '{{symbol}} at {{price}}',
    });
    expect(body).toEqual({
      id: 'btc-above',
      name: 'BTC above',
      kind: 'price_threshold',
      enabled: true,
      severities: { S2: 70000 },
      pendingSeconds: 60,
      symbol: 'BTC',
      direction: 'above',
      annotations: { summary: '{{symbol}} at {{price}}' },
    });
  });

  it('passes text that is not a number as it is, so the API names the field', () => {
    expect(ruleFromForm({ kind: 'price_threshold', 'severities.S2': 'lots', cooldownSeconds: '1e3' })).toMatchObject({ severities: { S2: 'lots' }, cooldownSeconds: 1000 });
  });

  it('edits a stored rule: the form shows its values, and the body keeps what the form does not show', () => {
    const values = ruleFormValues(stored);
    expect(values).toMatchObject({ id: 'sol-above', kind: 'price_threshold', enabled: 'true', symbol: 'SOL', 'severities.S1': '250', 'severities.S2': '300', recovery: '240', cooldownSeconds: '900', 'annotations.summary': 'SOL at {{price}}' });
    const body = ruleFromForm({ ...values, enabled: 'false', 'severities.S1': '', recovery: '' }, stored);
    expect(body).toEqual({
      id: 'sol-above',
      name: 'SOL above',
      kind: 'price_threshold',
      enabled: false,
      severities: { S2: 300 },
      pendingSeconds: 0,
      keepFiringSeconds: 0,
      cooldownSeconds: 900,
      symbol: 'SOL',
      direction: 'above',
      labels: { team: 'desk' },
      actions: { S2: { type: 'apply_policy', mode: 'Slow' } },
      annotations: { summary: 'SOL at {{price}}', description: 'kept' },
    });
  });

  it('drops the fields of the old kind when the kind changes', () => {
    const body = ruleFromForm({ ...ruleFormValues(stored), kind: 'service_health', service: 'alert-service', 'annotations.summary': '' }, stored);
    expect(body).not.toHaveProperty('symbol');
    expect(body).not.toHaveProperty('direction');
    expect(body).toMatchObject({ kind: 'service_health', service: 'alert-service', annotations: { description: 'kept' } });
  });

  it('starts a new rule as an enabled price threshold above', () => {
    expect(ruleFormValues()).toEqual({ id: '', name: '', kind: 'price_threshold', enabled: 'true', direction: 'above' });
  });

  it('describes what a rule watches and its thresholds', () => {
    expect([ruleTarget(stored), ruleThresholds(stored)]).toEqual(['SOL above', 'S1 250 · S2 300']);
    expect(ruleTarget({ ...stored, kind: 'portfolio_drift', band: 'relative' })).toBe('every portfolio, relative');
  });
});
