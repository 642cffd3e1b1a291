import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@rebal/redis-testing';

const ROOT = join(__dirname, '../../../..');
const SECRET = 'bench-only-secret-of-the-alert-service-0123456789';

/** Builds dist/apps/alert-service (what `npm run build` ships), once per benchmark run. */
export function buildAlertService(): void {
  const result = spawnSync(process.execPath, ['scripts/build-app.mjs', 'alert-service'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the alert service failed');
}

/** The built alert service as a child process. */
export class BuiltAlertService {
  private readonly lines: string[] = [];
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      this.lines.push(...lines);
    });
    child.once('exit', () => (this.exited = true));
  }

  /** Starts `node dist/apps/alert-service/main.js` with `env` (port 0, loopback) and waits until it says its consumers run. */
  static async start(env: Record<string, string>, timeoutMs = 300_000): Promise<BuiltAlertService> {
    const child = spawn(process.execPath, ['dist/apps/alert-service/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', HOST: '127.0.0.1', PORT: '0', AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const service = new BuiltAlertService(child);
    await waitFor(() => service.exited || service.messages().includes('Redis Streams initialized successfully'), { timeoutMs, intervalMs: 5, message: 'the alert service to start its consumers' });
    if (service.exited) throw new Error(`the alert service exited at start:\n${service.lines.slice(-20).join('\n')}`);
    return service;
  }

  /** Its process id. */
  get pid(): number {
    return this.child.pid as number;
  }

  /** The `msg` of every JSON log line so far. */
  messages(): string[] {
    return this.lines.filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { msg: string }).msg);
  }

  /** Resident and peak resident memory, bytes (VmRSS, VmHWM). */
  memory(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  }

  /** SIGTERM, and resolves once it exited. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
