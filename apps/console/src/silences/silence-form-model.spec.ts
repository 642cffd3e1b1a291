import { durationLabel, matchersForAlert, matchersText, silenceFromForm } from './silence-form-model';

const NOW = Date.parse('2024-04-05T10:00:00.000Z');

describe('the silence form', () => {
  it('builds the POST /silences body: the filled matcher rows, an end after the chosen length, the comment', () => {
    const body = silenceFromForm(
      [
        { name: ' symbol ', value: 'BTC', isRegex: false },
        { name: '', value: '', isRegex: false },
        { name: 'rule', value: 'btc-.*', isRegex: true },
      ],
      120,
      ' maintenance ',
      NOW,
    );
    expect(body).toEqual({
      matchers: [
        { name: 'symbol', value: 'BTC' },
        { name: 'rule', value: 'btc-.*', isRegex: true },
      ],
      endsAt: '2024-04-05T12:00:00.000Z',
      comment: 'maintenance',
    });
  });

  it("prefills matchers from an alert's rule and symbol", () => {
    expect(matchersForAlert({ rule: 'btc-above', symbol: 'BTC' }, 'btc-above')).toEqual([
      { name: 'rule', value: 'btc-above', isRegex: false },
      { name: 'symbol', value: 'BTC', isRegex: false },
    ]);
    expect(matchersForAlert({}, 'svc')).toEqual([{ name: 'rule', value: 'svc', isRegex: false }]);
  });

  it('writes matchers and lengths as people read them', () => {
    expect(
      matchersText([
        { name: 'symbol', value: 'BTC', isRegex: false, isEqual: true },
        { name: 'rule', value: 'btc-.*', isRegex: true, isEqual: true },
        { name: 'team', value: 'desk', isRegex: false, isEqual: false },
      ]),
    ).toBe('symbol="BTC", rule=~"btc-.*", team!="desk"');
    expect([30, 120, 1_440, 10_080].map(durationLabel)).toEqual(['30 min', '2 h', '1 day', '7 days']);
  });
});
