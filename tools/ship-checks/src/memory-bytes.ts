const KUBE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Bytes of a Kubernetes memory quantity such as `256Mi`, `1Gi`, `500M` or `134217728`. Throws for anything else. */
export function kubeQuantityBytes(quantity: string | number): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity).trim());
  if (!match) throw new Error(`not a memory quantity: ${JSON.stringify(quantity)}`);
  return Number(match[1]) * (KUBE_UNITS[match[2] ?? ''] ?? 1);
}

const REDIS_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1e3, kb: 2 ** 10, m: 1e6, mb: 2 ** 20, g: 1e9, gb: 2 ** 30 };

/** Bytes of a redis.conf memory size such as `256mb` (MiB), `1gb`, `100m` (10^6) or `1048576`, as Redis reads it. Throws for anything else. */
export function redisMemoryBytes(size: string): number {
  const match = /^(\d+)(k|kb|m|mb|g|gb)?$/i.exec(size.trim());
  if (!match) throw new Error(`not a Redis memory size: ${JSON.stringify(size)}`);
  return Number(match[1]) * (REDIS_UNITS[(match[2] ?? '').toLowerCase()] ?? 1);
}
