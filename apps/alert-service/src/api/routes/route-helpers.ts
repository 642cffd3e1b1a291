import type { Request } from 'express';
import { ProblemError } from '@rebal/service-kit';

/** Longest id accepted in a path; longer ones are unknown by construction. */
const MAX_ID_LENGTH = 200;

/**
 * The `:id` path parameter.
 * @throws ProblemError 404 `not_found` for an id no alert, rule or silence can have (empty or too long)
 */
export function pathId(req: Request): string {
  const id = req.params['id'];
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new ProblemError(404, 'not_found', `nothing has the id ${JSON.stringify(String(id).slice(0, 40))}`);
  }
  return id;
}

/** The 404 of an unknown alert id. */
export function alertNotFound(id: string): ProblemError {
  return new ProblemError(404, 'not_found', `alert ${id} not found`);
}
