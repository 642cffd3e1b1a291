import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { isKubeObject, type KubeObject } from './kube-object';

/** Thrown when `kubectl kustomize` fails or prints something that is not a list of objects. */
export class KustomizeBuildError extends Error {
  /** Stable code for callers to test. */
  readonly code = 'ERR_KUSTOMIZE_BUILD';

  /**
   * @param directory the kustomization that failed to build
   * @param detail kubectl's message, or what was wrong with its output
   */
  constructor(
    readonly directory: string,
    detail: string,
  ) {
    super(`kubectl kustomize ${directory} failed: ${detail}`);
    this.name = 'KustomizeBuildError';
  }
}

/** Options of {@link kustomizeBuild}. */
export interface KustomizeBuildOptions {
  /** The kubectl binary (default `kubectl`, from PATH). */
  readonly kubectl?: string;
  /** Give up after this many ms (default 60 000). */
  readonly timeoutMs?: number;
}

/**
 * Builds a kustomization with `kubectl kustomize <directory>` and parses every YAML document it
 * prints. Throws {@link KustomizeBuildError} when kubectl fails or a document is not an object
 * with apiVersion, kind and metadata.name.
 */
export function kustomizeBuild(directory: string, options: KustomizeBuildOptions = {}): KubeObject[] {
  const kubectl = options.kubectl ?? 'kubectl';
  const result = spawnSync(kubectl, ['kustomize', directory], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  if (result.error) throw new KustomizeBuildError(directory, `${kubectl} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new KustomizeBuildError(directory, result.stderr.trim() || `exit code ${result.status}`);
  return parseAllDocuments(result.stdout).map((document, index) => {
    if (document.errors.length > 0) throw new KustomizeBuildError(directory, `document ${index}: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    if (!isKubeObject(value)) throw new KustomizeBuildError(directory, `document ${index} is not a Kubernetes object`);
    return value;
  });
}
