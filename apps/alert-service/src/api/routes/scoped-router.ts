import type { Request, RequestHandler, Response, Router } from 'express';
import { requireScope, type ApiScope } from '../auth';

/** A route's handler; Express 5 hands a rejected promise to the error handlers. */
export type ApiHandler = (req: Request, res: Response) => void | Promise<void>;

/** Adds one route that needs `scope`. */
export type AddRoute = (path: string, scope: ApiScope, handler: ApiHandler) => void;

/**
 * Registers API routes, each with the scope it needs: a route cannot be added without one,
 * so no route is open to every valid token by omission.
 */
export interface ScopedRouter {
  /** `GET` (and `HEAD`) `path`. */
  readonly get: AddRoute;
  /** `POST` `path`. */
  readonly post: AddRoute;
  /** `PUT` `path`. */
  readonly put: AddRoute;
  /** `DELETE` `path`. */
  readonly delete: AddRoute;
}

/**
 * Wraps `router`: each route runs `requireScope(scope)` first (403 `insufficient_scope`),
 * then `before` (e.g. the JSON body parser, so a refused request's body is never read), then
 * its handler.
 */
export function scopedRouter(router: Router, before: readonly RequestHandler[] = []): ScopedRouter {
  const add =
    (method: 'get' | 'post' | 'put' | 'delete'): AddRoute =>
    (path, scope, handler) => {
      router[method](path, requireScope(scope), ...before, handler);
    };
  return { get: add('get'), post: add('post'), put: add('put'), delete: add('delete') };
}
