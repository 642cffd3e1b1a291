import { parseGrant, type ChannelGrant } from './channel-grant';
import { GrantSets } from './grant-sets';

function grants(...names: string[]): ChannelGrant[] {
  return names.map((name) => {
    const parsed = parseGrant(name);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.grant;
  });
}

describe('GrantSets', () => {
  it('hands out one shared list for equal grant lists, and distinct ones otherwise', () => {
    const sets = new GrantSets();
    const first = sets.intern(grants('market_data', 'alerts'));
    expect(sets.intern(grants('market_data', 'alerts'))).toBe(first);
    expect(first.map((grant) => grant.name)).toEqual(['market_data', 'alerts']);
    expect(sets.intern(grants('alerts', 'market_data'))).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('forgets the oldest list past its capacity', () => {
    const sets = new GrantSets(2);
    const a = sets.intern(grants('alerts'));
    sets.intern(grants('market_data'));
    sets.intern(grants('risk_events'));
    expect(sets.intern(grants('alerts'))).not.toBe(a);
  });
});
