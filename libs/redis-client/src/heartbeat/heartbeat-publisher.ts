import { setTimeout as delay } from 'node:timers/promises';
import type { Counter, Registry } from 'prom-client';
import { createEvent } from '../events/cloud-event';
import type { HeartbeatData } from '../events/event-types';
import type { StreamPublisher } from '../events/stream-publisher';
import { silentLogger, type Logger } from '../logging/logger';
import { counter } from '../metrics/get-or-create-metric';

/** The stream heartbeats go to (before the publisher's prefix). */
export const HEARTBEAT_STREAM = 'service_heartbeats';

/** How often a service beats unless told otherwise (`HEARTBEAT_INTERVAL`); the health monitor's default timeout is three of these. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

/** Options of {@link HeartbeatPublisher}. */
export interface HeartbeatPublisherOptions {
  /** Publisher that validates and XADDs (its prefix applies). */
  publisher: StreamPublisher;
  /** Service name, e.g. `alert-service`; also the event `subject`. */
  service: string;
  /** Instance id (pod name). */
  instance: string;
  /** Version of the running build. */
  version: string;
  /** Time between heartbeats in ms (default {@link DEFAULT_HEARTBEAT_INTERVAL_MS}). */
  intervalMs?: number;
  /** Current status, asked at every beat (default: always `healthy`; a throwing callback counts as `degraded`). */
  status?: () => 'healthy' | 'degraded';
  /** Extra details, asked at every beat (default: none; a throwing callback is left out). */
  details?: () => Record<string, unknown>;
  /** When the instance started (default: when this process started). */
  startedAt?: Date;
  /** CloudEvents `source` (default `/<service>`). */
  source?: string;
  /** Logger (default: silent). */
  logger?: Logger;
  /** prom-client registry for `rebal_heartbeats_*` (default: the global registry). */
  registry?: Registry;
}

/**
 * Publishes a `heartbeat` event to `service_heartbeats` at `start()` and then every
 * `intervalMs`, until `stop()`. A failed publish is counted and logged once per failing
 * streak (and once on recovery); it never throws and never stops the beat. Its timer does
 * not keep the process alive.
 */
export class HeartbeatPublisher {
  private readonly options: Required<Omit<HeartbeatPublisherOptions, 'details' | 'registry'>> &
    Pick<HeartbeatPublisherOptions, 'details'>;
  private readonly published: Counter<'service'>;
  private readonly failures: Counter<'service'>;
  private abort?: AbortController;
  private loop?: Promise<void>;
  private failingValue = false;

  constructor(options: HeartbeatPublisherOptions) {
    const intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError(`intervalMs must be a positive integer, got ${intervalMs}`);
    for (const name of ['service', 'instance', 'version'] as const) {
      if (!options[name]) throw new RangeError(`${name} must be a non-empty string`);
    }
    this.options = {
      publisher: options.publisher,
      service: options.service,
      instance: options.instance,
      version: options.version,
      intervalMs,
      status: options.status ?? (() => 'healthy'),
      details: options.details,
      startedAt: options.startedAt ?? new Date(Date.now() - process.uptime() * 1_000),
      source: options.source ?? `/${options.service}`,
      logger: (options.logger ?? silentLogger()).child({ service: options.service, instance: options.instance }),
    };
    this.published = counter({
      name: 'rebal_heartbeats_published_total',
      help: 'Heartbeats published to service_heartbeats.',
      labelNames: ['service'],
      registry: options.registry,
    });
    this.failures = counter({
      name: 'rebal_heartbeat_failures_total',
      help: 'Heartbeats that could not be published.',
      labelNames: ['service'],
      registry: options.registry,
    });
  }

  /** True while the last heartbeat failed. */
  get failing(): boolean {
    return this.failingValue;
  }

  /** Publishes one heartbeat now, then one every `intervalMs`. A no-op while running. */
  start(): void {
    if (this.abort && !this.abort.signal.aborted) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  /**
   * Stops the beat; idempotent. Waits for a heartbeat in progress, at most `intervalMs`
   * (with Redis unreachable a publish may wait for the reconnect).
   */
  async stop(): Promise<void> {
    const loop = this.loop;
    this.abort?.abort();
    this.loop = undefined;
    if (loop) await Promise.race([loop, delay(this.options.intervalMs, undefined, { ref: false })]);
  }

  /** Publishes one heartbeat; resolves true when it was written, false (counted, logged) otherwise. Never rejects. */
  async beat(): Promise<boolean> {
    const { service, logger } = this.options;
    try {
      await this.options.publisher.publish(HEARTBEAT_STREAM, createEvent({ type: 'heartbeat', source: this.options.source, subject: service, data: this.payload() }));
      this.published.inc({ service });
      if (this.failingValue) logger.info('heartbeat publishing recovered');
      this.failingValue = false;
      return true;
    } catch (error) {
      this.failures.inc({ service });
      if (!this.failingValue) logger.warn({ err: error }, 'heartbeat publishing failed; will keep trying');
      this.failingValue = true;
      return false;
    }
  }

  private payload(): HeartbeatData {
    const { service, instance, version, startedAt } = this.options;
    let status: HeartbeatData['status'];
    try {
      status = this.options.status() === 'healthy' ? 'healthy' : 'degraded';
    } catch {
      status = 'degraded';
    }
    const data: HeartbeatData = {
      service,
      instance,
      version,
      startedAt: startedAt.toISOString(),
      uptimeSeconds: Math.max(0, Math.round((Date.now() - startedAt.getTime()) / 1_000 * 1_000) / 1_000),
      status,
    };
    try {
      const details = this.options.details?.();
      if (details) data.details = details;
    } catch (error) {
      this.options.logger.debug({ err: error }, 'heartbeat details callback threw; sent without details');
    }
    return data;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const startedAt = Date.now();
      await this.beat();
      const wait = Math.max(0, startedAt + this.options.intervalMs - Date.now());
      await delay(wait, undefined, { signal, ref: false }).catch(() => undefined);
    }
  }
}
