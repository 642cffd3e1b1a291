import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { KubeObject } from './kube-object';
import { kustomizeBuild } from './kustomize-build';
import { REPO_ROOT } from './repo-root';

/** The shipped kustomizations the checks build. */
export type Overlay = 'base' | 'dev' | 'prod';

/** Where each {@link Overlay} lives, relative to the repository root. */
export const OVERLAY_DIRECTORIES: Readonly<Record<Overlay, string>> = { base: 'k8s/base', dev: 'k8s/overlays/dev', prod: 'k8s/overlays/prod' };

const built = new Map<Overlay, KubeObject[]>();

/** The objects `kubectl kustomize` renders for `overlay`, built once per test file. */
export function objectsOf(overlay: Overlay): KubeObject[] {
  let objects = built.get(overlay);
  if (!objects) {
    objects = kustomizeBuild(join(REPO_ROOT, OVERLAY_DIRECTORIES[overlay]));
    built.set(overlay, objects);
  }
  return objects;
}

/** The objects of one kind, typed as that kind. */
export function ofKind<T>(objects: readonly KubeObject[], kind: string): (T & KubeObject)[] {
  return objects.filter((object) => object.kind === kind) as (T & KubeObject)[];
}

/** The object of `kind` named `name`; throws, listing what there is, when it is missing. */
export function named<T>(objects: readonly KubeObject[], kind: string, name: string): T & KubeObject {
  const found = ofKind<T>(objects, kind).find((object) => object.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} among ${objects.map((object) => `${object.kind}/${object.metadata.name}`).join(', ')}`);
  return found;
}

/** The labels of a workload's pods (its template's). */
export function podLabels(workload: IDeployment | IStatefulSet): Record<string, string> {
  return workload.spec?.template.metadata?.labels ?? {};
}
