import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IIngressServiceBackend } from 'kubernetes-models/networking.k8s.io/v1/IngressServiceBackend';

/** Whether the Prefix path `prefix` matches `path` element by element (`/api/v1` matches `/api/v1/alerts`, not `/api/v1x`). */
function prefixMatches(prefix: string, path: string): boolean {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' || path === trimmed || path.startsWith(`${trimmed}/`);
}

/**
 * The Service backend an Ingress sends a request for `path` (a URL path, no query) to, matched
 * as the Ingress API specifies: among the rules for `host` (rules without a host match any), an
 * `Exact` path equal to it wins, else the longest matching `Prefix` path. Undefined when nothing
 * matches: the controller's default backend answers (404 with ingress-nginx). Throws for an
 * `ImplementationSpecific` path, whose matching depends on the controller.
 */
export function ingressBackendFor(ingress: IIngress, path: string, host?: string): IIngressServiceBackend | undefined {
  const paths = (ingress.spec?.rules ?? [])
    .filter((rule) => rule.host === undefined || host === undefined || rule.host === host)
    .flatMap((rule) => rule.http?.paths ?? []);
  const exact = paths.find((candidate) => candidate.pathType === 'Exact' && candidate.path === path);
  if (exact) return exact.backend.service;
  let best: { length: number; backend: IIngressServiceBackend | undefined } | undefined;
  for (const candidate of paths) {
    if (candidate.pathType === 'ImplementationSpecific') throw new Error(`path ${candidate.path} is ImplementationSpecific: its matching depends on the controller`);
    const prefix = candidate.path ?? '/';
    if (candidate.pathType !== 'Prefix' || !prefixMatches(prefix, path)) continue;
    if (!best || prefix.length > best.length) best = { length: prefix.length, backend: candidate.backend.service };
  }
  return best?.backend;
}
