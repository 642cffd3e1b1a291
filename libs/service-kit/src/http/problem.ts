import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/** Media type of RFC 9457 problem details. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One invalid field of a request, as listed in a 400 problem's `errors`. */
export interface FieldError {
  /** Dotted path of the field, e.g. `severities.S2` or `minutes`. */
  field: string;
  message: string;
}

/**
 * An HTTP error answered as `application/problem+json` (RFC 9457) with a stable `code`
 * that clients test instead of the text. Throw it from a route; `problemHandler` answers it.
 */
export class ProblemError extends Error {
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** Stable machine-readable code, e.g. `invalid_body`, `not_found`, `illegal_transition`. */
    readonly code: string,
    /** Human-readable detail for this occurrence. */
    detail: string,
    /** Extra members of the problem object, e.g. `{ errors: FieldError[] }`. */
    readonly extras: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  /** A 400 for an invalid request body or query, naming each bad field. */
  static invalid(errors: FieldError[], detail = 'the request is invalid'): ProblemError {
    const first = errors[0];
    return new ProblemError(400, 'invalid_request', first ? `${detail}: ${first.field}: ${first.message}` : detail, {
      errors,
      ...(first ? { field: first.field } : {}),
    });
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The path of a request without its query string: what problem+json's `instance` and the
 * error log show. A query can carry a token (`?token=` is how browsers authenticate a
 * WebSocket), so it is never echoed or logged.
 */
export function requestPath(req: { originalUrl?: string; url?: string } | undefined): string | undefined {
  const url = req?.originalUrl ?? req?.url;
  return url === undefined ? undefined : url.split('?', 1)[0];
}

/** Writes a problem+json response. */
export function sendProblem(res: Response, status: number, code: string, detail: string, extras: Record<string, unknown> = {}): void {
  res
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ type: `about:blank`, title: TITLES[status] ?? 'Error', status, code, detail, instance: requestPath(res.req), ...extras }));
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/**
 * Express error handler: `ProblemError` as itself, body-parser failures as the codes
 * docs/api.md lists (bad JSON or an unreadable body 400 `invalid_json`, too large 413
 * `body_too_large`, an unsupported charset or content encoding 415
 * `unsupported_media_type`), anything else as a logged 500 whose
 * detail reveals nothing internal.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof ProblemError) return sendProblem(res, error.status, error.code, error.message, error.extras);
    const http = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
    const status = http.status ?? http.statusCode;
    if (http.type === 'entity.parse.failed') return sendProblem(res, 400, 'invalid_json', 'the request body is not valid JSON');
    if (http.type === 'entity.too.large') return sendProblem(res, 413, 'body_too_large', 'the request body is too large');
    if (http.type === 'charset.unsupported' || http.type === 'encoding.unsupported') {
      return sendProblem(res, 415, 'unsupported_media_type', error instanceof Error ? error.message : 'unsupported charset or content encoding');
    }
    // Other body-parser refusals (a body that is not the gzip, deflate or br it claims to be, a
    // stream that ended early): the body could not be read as JSON.
    if (status && status >= 400 && status < 500 && http.expose) {
      return sendProblem(res, 400, 'invalid_json', error instanceof Error ? error.message : 'the request body could not be read');
    }
    logger.error({ err: error, method: req.method, path: requestPath(req) }, 'request failed');
    return sendProblem(res, 500, 'internal', 'the server failed to handle the request');
  };
}
