import { E2eStack } from '../stack';
import { describeSecretLeaks, findSecretLeaks, type ScannedText } from './find-secret-leaks';
import { channelIsolationTests } from './suite/channel-isolation.tests';
import { GATEWAY_AUTH_TIMEOUT_MS, gatewayAuthTests } from './suite/gateway-auth.tests';
import { httpEndpointTests } from './suite/http-endpoints.tests';
import { leastPrivilegeTests } from './suite/least-privilege.tests';
import { redisTransportTests } from './suite/redis-transport.tests';
import { SecurityFixture } from './suite/security-fixture';

/**
 * Issue 7, security: every endpoint refuses a missing or forged token; a token reads only
 * the channels it is granted; every service runs as its own least-privilege Redis user, over
 * TLS with a password; and no secret (JWT secret, Redis passwords, any token of the run)
 * appears in anything the run produced: every replica's output, the Redis log, and what
 * clients received.
 */
describe('security of the whole stack', () => {
  const fx = new SecurityFixture();

  beforeAll(async () => {
    fx.stack = await E2eStack.start({
      alertReplicas: 1,
      gatewayReplicas: 1,
      healthMonitor: true,
      simulator: true,
      // Debug logs everywhere: the most a service ever writes (upgrade URLs with `?token=`,
      // authentications, Redis connections) goes through the secret scan.
      env: {
        'alert-service': { LOG_LEVEL: 'debug' },
        'streaming-gateway': { LOG_LEVEL: 'debug', GATEWAY_AUTH_TIMEOUT: `${GATEWAY_AUTH_TIMEOUT_MS}ms` },
        'health-monitor': { LOG_LEVEL: 'debug', HEALTH_CHECK_INTERVAL: '1s' },
        'market-simulator': { LOG_LEVEL: 'debug', SIM_SYMBOLS: 'BTC,ETH', SIM_RATE: '10' },
      },
    });
  }, 180_000);

  afterAll(async () => {
    if (fx.started) await fx.stack.stop();
  }, 60_000);

  httpEndpointTests(fx);
  gatewayAuthTests(fx);
  channelIsolationTests(fx);
  leastPrivilegeTests(fx);
  redisTransportTests(fx);

  describe('secrets', () => {
    it('finds no secret of the run and no token in any replica output, the Redis log, or anything a client received', () => {
      const texts: ScannedText[] = [...fx.stack.outputs(), ...fx.texts];
      // Sanity: the scan reads real output (every replica logged), and has secrets to look for.
      expect(fx.stack.replicas.filter((replica) => replica.outputText().length === 0).map((replica) => replica.name)).toEqual([]);
      expect(fx.secrets.length).toBeGreaterThan(20);
      // The gateway logged the upgrade URLs that carried tokens (redacted), so the scan saw where a token would show.
      expect(fx.stack.replica('streaming-gateway-1').outputText()).toContain('?token=');
      const leaks = findSecretLeaks(texts, [...fx.stack.secrets(), ...fx.secrets]);
      expect(describeSecretLeaks(leaks)).toBe('');
    });

    it('finds no JWT and no Redis URL with a password in any replica output or the Redis log, whoever minted it', () => {
      const outputs = fx.stack.outputs().map((output) => output.text).join('\n');
      expect(outputs.match(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}/g) ?? []).toEqual([]);
      expect(outputs.match(/rediss?:\/\/[^\s"/@:]*:(?!\*\*\*@)[^\s"/@]+@/g) ?? []).toEqual([]);
    });
  });
});
