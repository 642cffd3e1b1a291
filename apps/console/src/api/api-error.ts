/** One invalid field of a `400 invalid_request` problem: `field` as the API names it, e.g. `severities.S2`, `matchers[0].value`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * A failed API call: `code` is the problem+json `code` (or `network_error`, `invalid_response`),
 * `status` the HTTP status (0 without one), `fields` the problem's `errors[]` (empty unless the
 * API named invalid fields).
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The `fetch` function the API clients use (the subset of `window.fetch` they need; tests pass their own). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; cache?: 'no-store' },
) => Promise<{ readonly ok: boolean; readonly status: number; json(): Promise<unknown> }>;

/** The field errors of a problem body: its `errors[]`, else its single `field` with the `detail`. */
function fieldErrors(problem: Record<string, unknown>, detail: string): FieldError[] {
  const errors = Array.isArray(problem['errors']) ? problem['errors'] : [];
  const listed = errors.flatMap((entry: unknown) => {
    const { field, message } = (typeof entry === 'object' && entry !== null ? entry : {}) as { field?: unknown; message?: unknown };
    return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
  });
  if (listed.length > 0) return listed;
  return typeof problem['field'] === 'string' ? [{ field: problem['field'], message: detail }] : [];
}

/**
 * Calls `url` and resolves with its JSON body (undefined for an empty one); rejects with an
 * {@link ApiError} for a network failure or a non-2xx answer (read as problem+json).
 */
export async function requestJson(fetch: FetchLike, url: string, init: { method: string; headers: Record<string, string>; body?: string }, service: string): Promise<unknown> {
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetch(url, { ...init, cache: 'no-store' });
  } catch (error) {
    throw new ApiError('network_error', 0, `the ${service} is unreachable (${error instanceof Error ? error.message : String(error)})`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const code = typeof problem['code'] === 'string' ? problem['code'] : `http_${response.status}`;
    const detail = typeof problem['detail'] === 'string' ? problem['detail'] : typeof problem['title'] === 'string' ? problem['title'] : `HTTP ${response.status}`;
    throw new ApiError(code, response.status, detail, fieldErrors(problem, detail));
  }
  return json;
}
