import type { Logger } from 'pino';

/** What `createXxx(config)` returns: something that starts and closes. */
export interface Service {
  start(): Promise<void>;
  /** Stops reading, finishes in-flight work, releases everything. Idempotent. */
  close(): Promise<void>;
}

/** Hard limit of a graceful shutdown unless `SHUTDOWN_TIMEOUT` says otherwise: well within Kubernetes' 30 s grace. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Options of {@link runService}. */
export interface RunServiceOptions {
  /** Service name for logs. */
  name: string;
  logger: Logger;
  /** Builds the service (config already parsed). */
  create: () => Service | Promise<Service>;
  /** Hard limit for a graceful shutdown (default {@link DEFAULT_SHUTDOWN_TIMEOUT_MS}). */
  shutdownTimeoutMs?: number;
}

/**
 * The process around a service: starts it, and on SIGTERM or SIGINT closes it and exits 0
 * (1 if closing failed or took longer than `shutdownTimeoutMs`). A failed start exits 1.
 */
export async function runService(options: RunServiceOptions): Promise<void> {
  const { logger, name } = options;
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  let service: Service | undefined;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, `${name} shutting down`);
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, `${name} did not stop within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    try {
      await service?.close();
      logger.info(`${name} stopped`);
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, `${name} stopped with errors`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled promise rejection'));
  try {
    service = await options.create();
    await service.start();
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start`);
    await service?.close().catch(() => undefined);
    process.exit(1);
  }
}
