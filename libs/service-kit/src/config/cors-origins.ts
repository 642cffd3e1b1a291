/**
 * Parses a comma-separated list of browser origins (`https://app.example.com,http://localhost:8080`)
 * or `*`. Each must be exactly an origin: `http(s)://host[:port]`, no path, query or trailing slash.
 * The alert service allows these origins to call its API (CORS), the gateway to open `/ws`.
 * @throws Error naming the first bad entry (the caller wraps it in a `ConfigError`)
 */
export function parseCorsOrigins(text: string): string[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    if (entry === '*') continue;
    let origin: string;
    try {
      const url = new URL(entry);
      origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : '';
    } catch {
      origin = '';
    }
    if (origin !== entry) throw new Error(`"${entry}" is not an origin; expected scheme://host[:port] such as http://localhost:8080, or *`);
  }
  return entries;
}

/** Whether a request's `Origin` header is one of `origins` (parsed by {@link parseCorsOrigins}): an exact match, or any with `*`. */
export function isCorsOriginAllowed(origins: readonly string[], origin: string): boolean {
  return origins.includes('*') || origins.includes(origin);
}
