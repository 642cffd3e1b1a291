/** The metadata every Kubernetes object in a manifest carries (the fields these checks read). */
export interface KubeObjectMeta {
  /** `metadata.name`, always present in a built manifest. */
  readonly name: string;
  /** `metadata.namespace`, set by an overlay's `namespace:`. */
  readonly namespace?: string;
  /** `metadata.labels`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `metadata.annotations`. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One Kubernetes object as parsed from YAML: typed only as far as every object goes. */
export interface KubeObject {
  /** e.g. `apps/v1`, or `v1` for the core group. */
  readonly apiVersion: string;
  /** e.g. `Deployment`. */
  readonly kind: string;
  /** Name, namespace, labels, annotations. */
  readonly metadata: KubeObjectMeta;
  /** Everything else (`spec`, `data`, ...), read through the kind's own type after validation. */
  readonly [field: string]: unknown;
}

/** `Kind/name`, how messages name an object. */
export function describeObject(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** Whether `value` has the shape of a {@link KubeObject}: string apiVersion, kind and metadata.name. */
export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  return typeof candidate.apiVersion === 'string' && typeof candidate.kind === 'string' && typeof candidate.metadata?.name === 'string';
}
