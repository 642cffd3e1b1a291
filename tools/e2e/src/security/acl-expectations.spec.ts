import { FOREIGN_APPENDS, readDryRun, ROW_EXPECTATIONS, SERVICE_USERS } from './acl-expectations';

describe('readDryRun', () => {
  it('reads the three kinds of ACL DRYRUN reply redis-cli prints', () => {
    expect(readDryRun('OK\n')).toEqual({ kind: 'allowed' });
    expect(readDryRun("This user has no permissions to access the 'alerts' key")).toEqual({ kind: 'denied', reason: "This user has no permissions to access the 'alerts' key" });
    expect(readDryRun("ERR wrong number of arguments for 'get' command")).toEqual({ kind: 'error', reply: "ERR wrong number of arguments for 'get' command" });
  });
});

describe('the ACL expectations', () => {
  it('check every service user, with commands allowed and denied for each row of the table', () => {
    for (const user of SERVICE_USERS) expect(ROW_EXPECTATIONS.some((expectation) => expectation.user === user && !expectation.allowed)).toBe(true);
    for (const user of ['rebal-alert-service', 'rebal-gateway', 'rebal-health-monitor', 'rebal-doctor', 'rebal-producer']) {
      expect({ user, allowed: ROW_EXPECTATIONS.some((expectation) => expectation.user === user && expectation.allowed) }).toEqual({ user, allowed: true });
    }
    expect(FOREIGN_APPENDS.every((expectation) => !expectation.allowed && expectation.command[0] === 'XADD')).toBe(true);
  });
});
