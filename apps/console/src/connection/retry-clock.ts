import { decideOnClose, DEFAULT_RECONNECT, reconnectDelay, type BackoffOptions, type GatewayClient } from '@rebal/gateway-client';

/**
 * When the SDK's next connection attempt will start, for the banner's "reconnecting, next try
 * at ...". The SDK does not announce the delay it picked, so this works it out the way the SDK
 * does, with the SDK's own exported functions: the close code of the last `disconnect` decides
 * the kind of delay (`decideOnClose`), the attempt count since the last `welcome` its size
 * (`reconnectDelay`), and the jitter is the last number the client drew from {@link random}
 * (pass it as the client's `random` option). The client picks the delay and draws that number
 * just before it enters `reconnecting`, so call {@link nextAttemptAt} from the `state` listener
 * on `reconnecting`. retry-clock.spec.ts checks this against the real client, so a change in
 * the SDK's reconnect logic fails that test rather than showing a wrong time.
 */
export class RetryClock {
  private lastDraw = 0;
  private lastCloseCode = 1006;
  private attempt = 0;

  /** The random source to give the client (`GatewayClientOptions.random`): `Math.random`, recorded. */
  readonly random = (): number => {
    this.lastDraw = Math.random();
    return this.lastDraw;
  };

  /**
   * @param canFetchToken whether the client's token is a function (it then reconnects after 4001 and 4003)
   * @param backoff the client's `reconnect` options (default the SDK's defaults)
   */
  constructor(
    private readonly canFetchToken: boolean,
    private readonly backoff: BackoffOptions = DEFAULT_RECONNECT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Follows the client's connections (call before `connect()`). */
  attach(client: GatewayClient): void {
    client.on('welcome', () => {
      this.attempt = 0;
    });
    client.on('disconnect', (closeCode) => {
      this.lastCloseCode = closeCode;
    });
  }

  /** When the attempt the client has just scheduled starts (ms since the epoch); undefined when it will not reconnect. */
  nextAttemptAt(): number | undefined {
    const decision = decideOnClose(this.lastCloseCode, this.canFetchToken);
    // A failure before any socket existed (no `disconnect`) counts as 1006, as the client counts it.
    this.lastCloseCode = 1006;
    if (decision.action !== 'reconnect') return undefined;
    const delay = reconnectDelay(decision.delay, this.attempt++, this.backoff, () => this.lastDraw);
    return this.now() + delay;
  }
}
