import { request } from 'node:http';

/** What one HTTP request got. */
export interface HttpProbeResult {
  /** The HTTP status. */
  readonly status: number;
  /** Lower-case header names and their values (repeated headers joined by `, `). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text. */
  readonly body: string;
}

/** Options of {@link httpProbe}. */
export interface HttpProbeOptions {
  /** Method (default `GET`). */
  method?: string;
  /** Request headers (default none). */
  headers?: Record<string, string>;
  /** Request body (default none). */
  body?: string;
  /** How long the whole request may take (default 10 s). */
  timeoutMs?: number;
}

/**
 * One HTTP request with node's own client on a fresh connection, the path sent exactly as
 * given (no URL normalisation: `%2e%2e` stays as is, unlike `fetch`), resolving with status,
 * headers and body whatever the status.
 */
export function httpProbe(baseUrl: string, path: string, options: HttpProbeOptions = {}): Promise<HttpProbeResult> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: options.method ?? 'GET',
        // Always framed, whatever the method (node sends a DELETE body unframed otherwise), on a
        // connection of its own: one probe's leftovers never become the next one's request.
        headers: { ...options.headers, ...(options.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(options.body)) }) },
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: res.statusCode ?? 0, headers, body });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
