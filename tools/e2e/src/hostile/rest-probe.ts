/** One answer of the alert API, as read by {@link RestProbe}. */
export interface RestAnswer {
  /** HTTP status. */
  readonly status: number;
  /** `Content-Type` (empty when absent). */
  readonly contentType: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: Record<string, unknown> | undefined;
  /** The raw body text. */
  readonly text: string;
}

/** One request of {@link RestProbe.call}. */
export interface RestRequest {
  /** HTTP method. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the API base, e.g. `/alerts?status=firing`, already encoded (malformed encodings are sent as they are). */
  path: string;
  /** The body: a value sent as JSON text, or raw text/bytes (`raw` true); none when undefined. */
  body?: unknown;
  /** Send `body` as it is (a string, bytes or a stream) instead of as JSON text. */
  raw?: boolean;
  /** `Content-Type` (default `application/json` when there is a body). */
  contentType?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** Sends requests to the alert API with a bearer token and reads every answer, whatever its status. */
export class RestProbe {
  constructor(
    /** `http://127.0.0.1:<port>/api/v1`. */
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Sends `request` and reads the answer (10 s timeout). */
  async call(request: RestRequest): Promise<RestAnswer> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, ...request.headers };
    let body: RequestInit['body'] | undefined;
    if (request.body !== undefined) {
      // An empty contentType sends none at all.
      if (request.contentType !== '') headers['Content-Type'] = request.contentType ?? 'application/json';
      body = request.raw ? (request.body as RequestInit['body']) : JSON.stringify(request.body);
    } else if (request.contentType) headers['Content-Type'] = request.contentType;
    const streamed = typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
    const response = await fetch(`${this.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      signal: AbortSignal.timeout(10_000),
      ...(body === undefined ? {} : { body }),
      ...(streamed ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', json, text };
  }
}

/** What a request must be answered with. */
export interface ExpectedAnswer {
  /** Acceptable statuses. */
  statuses: readonly number[];
  /** For a 4xx: acceptable problem codes (default: any documented code of that status). */
  codes?: readonly string[];
  /** For a 400 `invalid_request`: `field` must be one of these or start with one followed by `.` or `[` (any field when absent). */
  fields?: readonly string[];
}

/** docs/api.md "Errors": every status and its documented codes. */
const DOCUMENTED: Record<number, readonly string[]> = {
  400: ['invalid_request', 'invalid_json'],
  401: ['unauthorized'],
  404: ['not_found'],
  409: ['illegal_transition', 'rule_exists'],
  413: ['body_too_large'],
  415: ['unsupported_media_type'],
  503: ['redis_unavailable', 'busy'],
  500: ['internal'],
};

function namesField(field: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`));
}

/** Problems with `answer` against `expected` and docs/api.md (empty when it is as documented). */
export function answerProblems(answer: RestAnswer, expected: ExpectedAnswer): string[] {
  const problems: string[] = [];
  if (!expected.statuses.includes(answer.status)) problems.push(`status ${answer.status}, documented ${expected.statuses.join(' or ')}`);
  if (answer.status >= 500) problems.push('a 5xx');
  if (answer.status < 400) return problems;
  if (!answer.contentType.startsWith('application/problem+json')) problems.push(`content type ${answer.contentType}`);
  const code = String(answer.json?.['code']);
  const codes = expected.codes ?? DOCUMENTED[answer.status] ?? [];
  if (!codes.includes(code)) problems.push(`code ${code}, documented ${codes.join(' or ')}`);
  if (answer.json?.['status'] !== answer.status) problems.push(`problem status ${String(answer.json?.['status'])}`);
  if (code === 'invalid_request') {
    const field = answer.json?.['field'];
    const errors = answer.json?.['errors'];
    if (typeof field !== 'string' || field === '') problems.push('no field');
    else if (expected.fields !== undefined && !namesField(field, expected.fields)) problems.push(`field ${field}, expected ${expected.fields.join(' or ')}`);
    if (!Array.isArray(errors) || errors.length === 0 || (errors[0] as { field?: unknown }).field !== field) problems.push('errors[] does not start with field');
  }
  return problems;
}
