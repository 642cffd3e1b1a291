import { API_SCOPES, grantedScopes } from './api-scope';

describe('grantedScopes', () => {
  it('splits the space-separated scope claim and ignores empty entries', () => {
    expect(grantedScopes({ scope: ' alerts:read   alerts:write rules:write ' })).toEqual(new Set(API_SCOPES));
    expect(grantedScopes({ scope: '' })).toEqual(new Set());
  });

  it('accepts the scp claim as an array or a space-separated string, together with scope', () => {
    expect(grantedScopes({ scp: ['alerts:read', '', 7, 'rules:write'] })).toEqual(new Set(['alerts:read', 'rules:write']));
    expect(grantedScopes({ scp: 'alerts:write openid' })).toEqual(new Set(['alerts:write', 'openid']));
    expect(grantedScopes({ scope: 'alerts:read', scp: ['rules:write'] })).toEqual(new Set(['alerts:read', 'rules:write']));
  });

  it('grants nothing for a missing claim or one of another type, and compares scopes exactly', () => {
    expect(grantedScopes({})).toEqual(new Set());
    expect(grantedScopes({ scope: ['alerts:read'], scp: { 'alerts:read': true } })).toEqual(new Set());
    const granted = grantedScopes({ scope: 'ALERTS:READ alerts:read:extra alerts:*,rules:write' });
    expect(API_SCOPES.filter((scope) => granted.has(scope))).toEqual([]);
  });
});
