import { errorTarget, placeErrors } from './field-errors';

const fields = new Set(['id', 'symbol', 'severities', 'severities.S1', 'severities.S2', 'matchers', 'matchers[0]', 'matchers[0].value']);

describe('errorTarget', () => {
  it('puts an error at its field, else at the nearest group holding it', () => {
    expect(errorTarget('symbol', fields)).toBe('symbol');
    expect(errorTarget('severities.S2', fields)).toBe('severities.S2');
    expect(errorTarget('severities.S4', fields)).toBe('severities');
    expect(errorTarget('matchers[0].isRegex', fields)).toBe('matchers[0]');
    expect(errorTarget('matchers[3].value', fields)).toBe('matchers');
    expect(errorTarget('labels.team', fields)).toBeUndefined();
  });
});

describe('placeErrors', () => {
  it('groups the messages by target, naming the field when shown at a group, and keeps the rest apart', () => {
    const { placed, unplaced } = placeErrors(
      [
        { field: 'symbol', message: 'Too long' },
        { field: 'severities.S4', message: 'Unknown key' },
        { field: 'severities', message: 'at least one severity' },
        { field: 'actions.S2', message: 'Invalid' },
      ],
      fields,
    );
    expect(Object.fromEntries(placed)).toEqual({ symbol: ['Too long'], severities: ['severities.S4: Unknown key', 'at least one severity'] });
    expect(unplaced).toEqual([{ field: 'actions.S2', message: 'Invalid' }]);
  });
});
