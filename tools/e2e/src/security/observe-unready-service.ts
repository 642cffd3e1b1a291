import { join } from 'node:path';
import { GroupProcess, REPO_ROOT, type ProcessExit } from '../support';

/** Options of {@link observeUnreadyService}. */
export interface ObserveUnreadyServiceOptions {
  /** The folder of the app's build (`main.js`). */
  appDir: string;
  /** The service's whole environment besides `PATH`, `HOME`, `HOST=127.0.0.1` and `PORT=0`. */
  env: Record<string, string>;
  /** How long to watch it, from its start (default 6 s). */
  watchMs?: number;
  /** Pause between two `/readyz` requests (default 250 ms). */
  pollMs?: number;
}

/** What a service did while it was watched. */
export interface UnreadyServiceReport {
  /** The port it logged it listens on, if it did. */
  readonly port?: number;
  /** Every `/readyz` status seen, in order (none before it listened). */
  readonly readyz: number[];
  /** How it ended by itself during the watch, if it did. */
  readonly exitedEarly?: ProcessExit;
  /** Everything it printed (stdout and stderr), until it was stopped. */
  readonly output: string;
}

/** The port of the first `... listening` JSON log line in `output`. */
function listeningPort(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as { port?: unknown; msg?: unknown };
      if (typeof parsed.port === 'number' && parsed.port > 0 && typeof parsed.msg === 'string' && /listening$/.test(parsed.msg)) return parsed.port;
    } catch {
      // not a log line
    }
  }
  return undefined;
}

/**
 * Starts a built service that is expected never to become ready (e.g. given a wrong Redis
 * password), watches it for `watchMs`, asking `/readyz` every `pollMs` once it listens, then
 * stops it (SIGTERM, then SIGKILL of its group) and reports what it did. Unlike
 * `BuiltService.start`, which rejects with only the tail of the output, the report keeps the
 * whole output for the secret scan.
 */
export async function observeUnreadyService(options: ObserveUnreadyServiceOptions): Promise<UnreadyServiceReport> {
  const child = GroupProcess.spawn(process.execPath, ['--enable-source-maps', join(options.appDir, 'main.js')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', HOST: '127.0.0.1', PORT: '0', ...options.env },
  });
  const deadline = Date.now() + (options.watchMs ?? 6_000);
  const readyz: number[] = [];
  let port: number | undefined;
  try {
    while (Date.now() < deadline && child.exit === undefined) {
      port ??= listeningPort(child.output.text);
      if (port !== undefined) {
        try {
          readyz.push((await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2_000) })).status);
        } catch {
          readyz.push(0);
        }
      }
      await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250))]);
    }
    const exitedEarly = child.exit;
    if (exitedEarly === undefined) {
      child.signalGroup('SIGTERM');
      await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    }
    return { ...(port === undefined ? {} : { port }), readyz, ...(exitedEarly === undefined ? {} : { exitedEarly }), output: child.output.text };
  } finally {
    child.killGroup();
  }
}
