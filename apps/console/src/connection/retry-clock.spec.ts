import { GatewayClient, type WebSocketLike } from '@rebal/gateway-client';
import { RetryClock } from './retry-clock';

/** A socket the test plays the server of. */
class FakeSocket implements WebSocketLike {
  static readonly opened: FakeSocket[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Array<{ op: string; id?: number }> = [];

  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as { op: string; id?: number });
  }

  close(): void {
    this.readyState = 3;
  }

  /** The connection opens and the server answers the auth with a welcome. */
  welcome(): void {
    this.readyState = 1;
    this.onopen?.({});
    const auth = this.sent.find((frame) => frame.op === 'auth');
    const frame = { type: 'welcome', id: auth?.id, protocol: 1, session: { id: 'session-1234', resumed: false, channels: [] }, subject: 's', grants: ['*'], expiresAt: Date.now() + 3_600_000, heartbeatIntervalMs: 30_000 };
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server or the network ends the connection. */
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

describe('RetryClock', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2024-04-05T10:00:00.000Z') });
    FakeSocket.opened.length = 0;
  });
  afterEach(() => jest.useRealTimers());

  /** A real client on fake sockets, with the clock reading its reconnect times at each `reconnecting`. */
  function clientWithClock(): { client: GatewayClient; predicted: Array<number | undefined> } {
    const clock = new RetryClock(false);
    const client = new GatewayClient({ url: 'ws://gateway.test/ws', token: 'fixed-token', WebSocket: FakeSocket, random: clock.random });
    clock.attach(client);
    const predicted: Array<number | undefined> = [];
    client.on('state', (state) => {
      if (state === 'reconnecting') predicted.push(clock.nextAttemptAt());
    });
    client.on('error', () => undefined);
    return { client, predicted };
  }

  /** Advances the clock to `at` and checks that the client opens its next socket then, not a millisecond earlier. */
  async function expectAttemptAt(at: number | undefined): Promise<FakeSocket> {
    expect(at).toBeDefined();
    const before = FakeSocket.opened.length;
    await jest.advanceTimersByTimeAsync(Math.max(0, (at ?? 0) - Date.now() - 1));
    expect(FakeSocket.opened.length).toBe(before);
    await jest.advanceTimersByTimeAsync(1);
    expect(FakeSocket.opened.length).toBe(before + 1);
    return FakeSocket.opened.at(-1) as FakeSocket;
  }

  it('tells when the client will try again: growing backoff after failed attempts, from the start again after a welcome', async () => {
    const { client, predicted } = clientWithClock();
    void client.connect().catch(() => undefined);
    await jest.advanceTimersByTimeAsync(0);
    let socket = FakeSocket.opened[0] as FakeSocket;
    socket.welcome();
    for (let attempt = 0; attempt < 4; attempt++) {
      socket.drop(1006);
      socket = await expectAttemptAt(predicted.at(-1));
    }
    socket.welcome();
    socket.drop(1011);
    await expectAttemptAt(predicted.at(-1));
    expect(predicted).toHaveLength(5);
    void client.close();
  });

  it('follows the close code: 1001 soon, 4008 long, and none after a refused fixed token', async () => {
    const { client, predicted } = clientWithClock();
    void client.connect().catch(() => undefined);
    await jest.advanceTimersByTimeAsync(0);
    let socket = FakeSocket.opened[0] as FakeSocket;
    socket.welcome();
    socket.drop(1001);
    expect((predicted.at(-1) ?? Infinity) - Date.now()).toBeLessThan(500);
    socket = await expectAttemptAt(predicted.at(-1));
    socket.welcome();
    socket.drop(4008);
    expect((predicted.at(-1) ?? 0) - Date.now()).toBeGreaterThanOrEqual(15_000);
    socket = await expectAttemptAt(predicted.at(-1));
    // A refused fixed token ends the client: it does not reconnect, and the clock says so.
    const clock = new RetryClock(false);
    clock.attach(client);
    socket.welcome();
    socket.drop(4001);
    expect(client.state).toBe('closed');
    expect(predicted).toHaveLength(2);
    expect(clock.nextAttemptAt()).toBeUndefined();
    void client.close();
  });
});
