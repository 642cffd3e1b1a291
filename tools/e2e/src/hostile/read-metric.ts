/**
 * The value of one sample of a Prometheus text exposition at `baseUrl/metrics`, e.g.
 * `readMetric(url, 'rebal_gateway_disconnects_total', {code: '4009'})`; 0 when the sample is absent.
 */
export async function readMetric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.startsWith(`${name}{`) ? line.slice(name.length + 1, line.indexOf('}')) : '';
    const have = labelText === '' ? [] : labelText.split(',');
    if (wanted.every((pair) => have.includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
