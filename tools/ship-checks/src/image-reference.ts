/** A container image reference split into its parts: `[registry/]repository[:tag][@digest]`. */
export interface ImageReference {
  /** Everything before the tag and digest, registry included, e.g. `registry.example.com/rebal/alert-service`. */
  readonly repository: string;
  /** The tag, e.g. `24.20.0-bookworm-slim`; undefined when none is written (Docker then uses `latest`). */
  readonly tag?: string;
  /** The digest, e.g. `sha256:...`; undefined when none is written. */
  readonly digest?: string;
}

/** An exact release: major.minor.patch, optionally followed by a variant such as `-bookworm-slim`. */
const EXACT_VERSION_TAG = /^v?\d+\.\d+\.\d+(?:-[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

/** Splits an image reference into repository, tag and digest (a `:` inside the registry host is a port, not a tag). */
export function parseImageReference(reference: string): ImageReference {
  const [withoutDigest = '', digest] = reference.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  const tag = colon === -1 ? undefined : withoutDigest.slice(colon + 1);
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Options of {@link imageReferenceViolation}. */
export interface ImageRuleOptions {
  /** Require an exact release tag such as `7.2.10` or `24.20.0-bookworm-slim` (default false: any tag but `latest`). */
  readonly exactVersion?: boolean;
}

/**
 * Why `reference` is not pinned, or undefined when it is: it needs a tag that is not `latest`
 * (and, with `exactVersion`, an exact major.minor.patch release), or a digest.
 */
export function imageReferenceViolation(reference: string, options: ImageRuleOptions = {}): string | undefined {
  const { tag, digest } = parseImageReference(reference);
  if (digest) return undefined;
  if (!tag) return `image ${reference} has no tag (it means latest): pin a version`;
  if (tag === 'latest') return `image ${reference} uses the latest tag: pin a version`;
  if (options.exactVersion && !EXACT_VERSION_TAG.test(tag)) {
    return `image ${reference} is not pinned to an exact release (major.minor.patch[-variant])`;
  }
  return undefined;
}
