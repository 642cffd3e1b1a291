import type { RedisConnection, StreamPublisher } from '@rebal/redis-client';
import type { RedisTestServer } from '@rebal/redis-testing';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/notifications/testing/start-webhook-receiver';
import { ApiClient, signToken } from '../support/api-client';
import { testPublisher } from '../support/events';
import { AdminConnections, serviceEnv, startInProcess, uniquePrefix, type InProcessService } from '../support/suite-context';

/** Browser origin the shared service allows (CORS). */
export const DASHBOARD_ORIGIN = 'http://dashboard.test:8080';

/**
 * What the suite's tests share: the Redis server, an admin connection, one in-process alert
 * service (own stream prefix, webhook targets `flaky` and `strict`, quick retries), an API
 * client signed in as `alice`, the two webhook receivers, and a publisher on the service's
 * streams. Created in `beforeAll`, released in `afterAll` of the enclosing describe.
 */
export class SharedFixture {
  private state?: {
    admin: RedisConnection;
    prefix: string;
    service: InProcessService;
    api: ApiClient;
    flaky: WebhookReceiver;
    strict: WebhookReceiver;
    publisher: StreamPublisher;
  };
  private readonly connections = new AdminConnections();
  private clock = Date.now();

  /** @param server the suite's Redis (available from `beforeAll` on) */
  constructor(readonly server: () => RedisTestServer) {
    beforeAll(async () => {
      const server = this.server();
      const admin = this.connections.connect(server);
      const prefix = uniquePrefix();
      // flaky: 500 twice per delivery, then 200. strict: 400 always (never retried).
      const flaky = await startWebhookReceiver((_request, previous) => ({ status: previous < 2 ? 500 : 200 }));
      const strict = await startWebhookReceiver(() => ({ status: 400 }));
      const webhooks = [
        { name: 'flaky', url: `${flaky.url}/flaky`, severities: ['S1', 'S2', 'S3'] },
        { name: 'strict', url: `${strict.url}/strict`, severities: ['S1', 'S2', 'S3'] },
      ];
      const service = await startInProcess(
        serviceEnv(server, prefix, { ALERT_WEBHOOKS: JSON.stringify(webhooks), NOTIFY_BACKOFF_BASE: '20ms', NOTIFY_BACKOFF_MAX: '200ms', CORS_ORIGINS: DASHBOARD_ORIGIN }),
      );
      const api = new ApiClient(service.url, await signToken('alice'));
      this.state = { admin, prefix, service, api, flaky, strict, publisher: testPublisher(admin, prefix) };
    }, 60_000);
    afterAll(async () => {
      await this.state?.service.close();
      await Promise.all([this.state?.flaky.close(), this.state?.strict.close()]);
      await this.connections.closeAll();
    }, 30_000);
  }

  private get current(): NonNullable<SharedFixture['state']> {
    if (!this.state) throw new Error('the shared fixture is only available inside tests');
    return this.state;
  }

  get admin(): RedisConnection {
    return this.current.admin;
  }
  get prefix(): string {
    return this.current.prefix;
  }
  get service(): InProcessService {
    return this.current.service;
  }
  get api(): ApiClient {
    return this.current.api;
  }
  get flaky(): WebhookReceiver {
    return this.current.flaky;
  }
  get strict(): WebhookReceiver {
    return this.current.strict;
  }
  get publisher(): StreamPublisher {
    return this.current.publisher;
  }

  /** Another admin connection to the suite's server, closed with the fixture. */
  connect(): RedisConnection {
    return this.connections.connect(this.server());
  }

  /** A strictly increasing event time (ms), so the rules see events in order. */
  nextTime(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }
}
