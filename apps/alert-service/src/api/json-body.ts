import express, { type RequestHandler } from 'express';
import { sendProblem } from '@rebal/service-kit';

/** Media types accepted as JSON bodies. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/** True when the request carries a body (a non-zero Content-Length, or chunked). */
function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * Parses JSON bodies (at most `limit`, default 256 kB). A body of another media type gets 415
 * problem+json (code `unsupported_media_type`); invalid JSON gets 400 `invalid_json` and a
 * too-large one 413 `body_too_large` (from the service-kit error handler). Requests without
 * a body pass with `req.body` undefined.
 */
export function jsonBody(limit = '256kb'): RequestHandler[] {
  const parse = express.json({ type: JSON_TYPES, limit, strict: false });
  return [
    (req, res, next) => {
      if (hasBody(req.headers) && !req.is(JSON_TYPES)) {
        sendProblem(res, 415, 'unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)');
        return;
      }
      next();
    },
    parse,
  ];
}
