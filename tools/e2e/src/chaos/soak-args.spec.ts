import { parseSoakArgs } from './soak-args';

describe('parseSoakArgs', () => {
  it('has defaults for a 30-minute run with a random seed', () => {
    expect(parseSoakArgs([])).toMatchObject({ minutes: 30, seed: undefined, clients: 25, symbols: 12, help: false });
  });

  it('reads options in both spellings', () => {
    expect(parseSoakArgs(['--minutes', '2', '--seed=42', '--clients', '10', '--report', 'out.md'])).toMatchObject({ minutes: 2, seed: 42, clients: 10, report: 'out.md' });
    expect(parseSoakArgs(['--help']).help).toBe(true);
  });

  it('names the option at fault', () => {
    expect(() => parseSoakArgs(['--minutes', 'soon'])).toThrow(/--minutes must be a number/);
    expect(() => parseSoakArgs(['--minute', '3'])).toThrow(/unknown option --minute/);
    expect(() => parseSoakArgs(['--seed'])).toThrow(/--seed needs a value/);
    expect(() => parseSoakArgs(['--minutes', '1'])).toThrow(/from 1.5/);
  });
});
