/** One operation of an OpenAPI document, ready to call. */
export interface ApiOperation {
  /** Upper-case HTTP method, e.g. `POST`. */
  readonly method: string;
  /** The path as documented, e.g. `/alerts/{id}/snooze`. */
  readonly template: string;
  /** The path with every `{param}` filled, e.g. `/alerts/6f1c.../snooze`. */
  readonly path: string;
  /** Whether the document asks for authentication (a non-empty `security`, its own or the document's). */
  readonly secured: boolean;
  /** Whether it documents a JSON request body. */
  readonly hasBody: boolean;
}

/** Options of {@link listOperations}. */
export interface ListOperationsOptions {
  /** The value of each path parameter (default: `fill(name)` of a plausible id). */
  fill?: (name: string, template: string) => string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

interface OperationObject {
  security?: unknown[];
  requestBody?: unknown;
}

/**
 * Every operation of an OpenAPI 3 document (`paths` × method), in document order, with its
 * path parameters filled (by default with `e2e-<name>-0000`, a plausible but unknown id).
 * @throws TypeError when the document has no `paths` object
 */
export function listOperations(document: unknown, options: ListOperationsOptions = {}): ApiOperation[] {
  const doc = document as { paths?: Record<string, Record<string, OperationObject>>; security?: unknown[] };
  if (typeof doc !== 'object' || doc === null || typeof doc.paths !== 'object' || doc.paths === null) {
    throw new TypeError('not an OpenAPI document: no paths');
  }
  const fill = options.fill ?? ((name: string) => `e2e-${name}-0000`);
  const operations: ApiOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const security = operation.security ?? doc.security ?? [];
      operations.push({
        method: method.toUpperCase(),
        template,
        path: template.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(fill(name, template))),
        secured: security.length > 0,
        hasBody: operation.requestBody !== undefined,
      });
    }
  }
  return operations;
}
