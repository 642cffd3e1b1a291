import { formatTemplateValue, renderAnnotations, renderTemplate, templatePlaceholders } from './annotation-template';

describe('renderTemplate', () => {
  it('replaces each placeholder, with spaces allowed inside the braces', () => {
    expect(renderTemplate('{{symbol}} at {{ value }} {{currency}}', { symbol: 'BTC', value: 101_234.5, currency: 'USD' })).toBe(
      'BTC at 101234.5 USD',
    );
  });

  it('renders a missing variable as empty text and leaves other braces alone', () => {
    expect(renderTemplate('[{{portfolioId}}] {x} {{toString}}', {})).toBe('[] {x} ');
  });
});

describe('formatTemplateValue', () => {
  it('keeps at most 8 significant digits without trailing zeros', () => {
    expect([formatTemplateValue(4.999999999999999), formatTemplateValue(0.05), formatTemplateValue(0.000012345678912)]).toEqual([
      '5',
      '0.05',
      '0.000012345679',
    ]);
  });
});

describe('templatePlaceholders', () => {
  it('lists each variable once, in order of first use', () => {
    expect(templatePlaceholders('{{b}} {{a}} {{ b }}')).toEqual(['b', 'a']);
  });
});

describe('renderAnnotations', () => {
  it('renders a description only when the rule has one', () => {
    expect(renderAnnotations({ kind: 'service_health' }, { service: 'pricing', status: 'down', reason: 'no heartbeat' })).toEqual({
      summary: 'pricing is down: no heartbeat',
    });
    expect(renderAnnotations({ kind: 'service_health', annotations: { description: '{{service}}!' } }, { service: 'pricing' })).toMatchObject({
      description: 'pricing!',
    });
  });
});
