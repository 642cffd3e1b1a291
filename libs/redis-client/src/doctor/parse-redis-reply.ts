/** `INFO` text (`key:value` lines, `# Section` headers) as a flat record. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** A RESP2 map reply (`[key, value, key, value, ...]`, as XINFO returns) as a record. */
export function parseFlatMap(reply: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = reply[i + 1];
  return fields;
}

/** A numeric reply field, or `null` when it is absent or nil. */
export function toNumberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** The message of anything thrown, for a check's detail. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
