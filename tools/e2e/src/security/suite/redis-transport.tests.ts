import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StackApp } from '../../stack';
import { snapshotBuild, type RedisAclUser } from '../../support';
import { describeSecretLeaks, findSecretLeaks } from '../find-secret-leaks';
import { observeUnreadyService } from '../observe-unready-service';
import { rawRedisCommands } from '../raw-redis-probe';
import type { SecurityFixture } from './security-fixture';

/** The Redis user each app runs as (docs/operations.md section 2, as E2eStack uses them). */
const USER_OF: Record<StackApp, RedisAclUser> = {
  'alert-service': 'rebal-alert-service',
  'streaming-gateway': 'rebal-gateway',
  'health-monitor': 'rebal-health-monitor',
  'market-simulator': 'rebal-producer',
};

/** docs/operations.md 1.4 (TLS) and section 2 (a password per user): the Redis port refuses anything else. */
export function redisTransportTests(fx: SecurityFixture): void {
  describe('Redis over TLS with a password', () => {
    it('serves TLS only: no plain port, and a plain-TCP PING on the TLS port gets no PONG', async () => {
      expect((await fx.stack.redis.cli('CONFIG', 'GET', 'port')).split('\n')).toEqual(['port', '0']);
      expect((await fx.stack.redis.cli('CONFIG', 'GET', 'tls-port')).split('\n')).toEqual(['tls-port', String(fx.stack.redis.port)]);
      const outcome = await rawRedisCommands({ port: fx.stack.redis.port }, [['PING']]);
      expect(outcome.replies).toEqual([]);
      expect(outcome.closedEarly).toBe(true);
    });

    it('answers NOAUTH to a TLS client without a password and WRONGPASS to a wrong one, and PONG only after the right one', async () => {
      const tls = { port: fx.stack.redis.port, tlsCaFile: fx.stack.redis.caFile };
      const wrong = randomBytes(16).toString('hex');
      fx.remember(wrong);
      const anonymous = await rawRedisCommands(tls, [['PING'], ['GET', '{alerts}:x'], ['XRANGE', 'market_data', '-', '+', 'COUNT', '1']]);
      expect(anonymous.replies.map((reply) => reply.split(' ')[0])).toEqual(['-NOAUTH', '-NOAUTH', '-NOAUTH']);
      const refused = await rawRedisCommands(tls, [
        ['AUTH', 'rebal-gateway', wrong],
        ['AUTH', 'default', wrong],
        ['AUTH', 'rebal-gateway', fx.stack.redis.password('rebal-alert-service')],
        ['AUTH', wrong],
        ['PING'],
      ]);
      expect(refused.replies.map((reply) => reply.split(' ')[0])).toEqual(['-WRONGPASS', '-WRONGPASS', '-WRONGPASS', '-WRONGPASS', '-NOAUTH']);
      const admitted = await rawRedisCommands(tls, [['AUTH', 'rebal-gateway', fx.stack.redis.password('rebal-gateway')], ['PING']]);
      expect(admitted.replies).toEqual(['+OK', '+PONG']);
      for (const outcome of [anonymous, refused, admitted]) fx.record('raw Redis replies', outcome.replies.join('\n'));
    });

    it('keeps a service given a wrong Redis password from becoming ready, and the password out of its output', async () => {
      const apps = [...new Set(fx.stack.replicas.map((replica) => replica.app))];
      const snapshots = apps.map((app) => [app, snapshotBuild(app)] as const);
      try {
        await fx.stack.redis.resetAclLog();
        const runs = await Promise.all(
          snapshots.map(async ([app, appDir]) => {
            const wrong = randomBytes(16).toString('hex');
            fx.remember(wrong);
            const env: Record<string, string> = {
              REDIS_URL: `rediss://${USER_OF[app]}:${wrong}@127.0.0.1:${fx.stack.redis.port}/0`,
              REDIS_TLS_CA_FILE: fx.stack.redis.caFile,
              INSTANCE_ID: `e2e-wrong-password-${app}`,
              ...(app === 'alert-service' ? { AUTH_JWT_SECRET: fx.stack.jwtSecret, ALERT_SEED: 'false' } : {}),
              ...(app === 'streaming-gateway' ? { AUTH_JWT_SECRET: fx.stack.jwtSecret } : {}),
            };
            const report = await observeUnreadyService({ appDir, env, watchMs: 8_000 });
            fx.record(`${app} with a wrong Redis password`, report.output);
            return { app, wrong, report };
          }),
        );
        for (const { app, wrong, report } of runs) {
          // Never ready: either it kept answering /readyz with 503, or it gave up and exited with an error.
          expect({ app, ready: report.readyz.includes(200) }).toEqual({ app, ready: false });
          expect({ app, watched: report.readyz.length > 0 || report.exitedEarly !== undefined }).toEqual({ app, watched: true });
          if (report.exitedEarly !== undefined) expect({ app, code: report.exitedEarly.code }).not.toEqual({ app, code: 0 });
          const leaks = findSecretLeaks([{ source: app, text: report.output }], [wrong, ...fx.stack.secrets()]);
          expect({ app, leaks: describeSecretLeaks(leaks) }).toEqual({ app, leaks: '' });
        }
        // Each was refused by its password, as ACL LOG shows (reason `auth`), not by something else.
        const refusedUsers = new Set((await fx.stack.redis.aclLog()).filter((entry) => entry.reason === 'auth').map((entry) => entry.username));
        expect(apps.filter((app) => !refusedUsers.has(USER_OF[app]))).toEqual([]);
      } finally {
        for (const [, dir] of snapshots) rmSync(dirname(dir), { recursive: true, force: true });
      }
    }, 60_000);
  });
}
