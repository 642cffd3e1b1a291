import { createEvent, StreamPublisher, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import type { E2eStack } from '../../stack';
import type { MintTokenOptions } from '../../support';
import type { ScannedText } from '../find-secret-leaks';

/**
 * What the security suites share: the stack (set in `beforeAll`), every token and secret the
 * run handed out, and every text a client received, so the last check can look for each
 * secret in everything the run produced.
 */
export class SecurityFixture {
  private stackValue: E2eStack | undefined;
  private publisherValue: StreamPublisher | undefined;
  private adminValue: RedisConnection | undefined;
  private readonly secretsValue: string[] = [];
  private readonly textsValue: ScannedText[] = [];

  /** The running stack; throws before `beforeAll` set it. */
  get stack(): E2eStack {
    if (this.stackValue === undefined) throw new Error('the stack is not started (beforeAll failed?)');
    return this.stackValue;
  }

  set stack(stack: E2eStack) {
    this.stackValue = stack;
  }

  /** Whether the stack was started. */
  get started(): boolean {
    return this.stackValue !== undefined;
  }

  /** Every token minted or forged, and every other secret given out, in order. */
  get secrets(): readonly string[] {
    return this.secretsValue;
  }

  /** Every text clients received (HTTP bodies and headers, WebSocket frames) and every extra process output. */
  get texts(): readonly ScannedText[] {
    return this.textsValue;
  }

  /** A token the services accept (see `E2eStack.token`), remembered for the leak scan with its signature. */
  async mint(options: MintTokenOptions = {}): Promise<string> {
    const token = await this.stack.token(options);
    this.remember(token);
    return token;
  }

  /** Remembers a secret for the leak scan; a JWT also adds its signature, which alone would let the token be rebuilt. */
  remember(secret: string): void {
    this.secretsValue.push(secret);
    const signature = secret.split('.')[2];
    if (signature !== undefined && signature.length >= 16) this.secretsValue.push(signature);
  }

  /** Keeps a text for the leak scan. */
  record(source: string, text: string): void {
    this.textsValue.push({ source, text });
  }

  /** One connection as the Redis admin (`default`), for reading what the services wrote; closed by `stack.stop()`. */
  get admin(): RedisConnection {
    this.adminValue ??= this.stack.connect();
    return this.adminValue;
  }

  /** Publishes one event as the producers do (user `rebal-producer`); resolves with its stream id. */
  publish(stream: string, type: string, subject: string, data: Record<string, unknown>): Promise<string> {
    this.publisherValue ??= new StreamPublisher({ redis: this.stack.connect('rebal-producer'), registry: new Registry() });
    return this.publisherValue.publish(stream, createEvent({ type, source: '/e2e-security', subject, data }));
  }
}
