import type { Router } from 'express';
import type { AlertStore } from '../../store';
import { createApiRouter } from '../create-api-router';
import { createJwtVerifier } from '@rebal/service-kit';
import { API_SCOPES } from '../auth';
import { OPENAPI_DOCUMENT } from './openapi-document';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: { requiredScope?: string } }> };
}

/** `METHOD /path` → the scope its first handler (the `requireScope` guard) requires, or `none`. */
function servedScopes(router: Router): Record<string, string> {
  return Object.fromEntries(
    (router.stack as RouteLayer[]).flatMap((layer) => {
      const route = layer.route;
      if (!route) return [];
      return Object.keys(route.methods).map((method) => [`${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`, route.stack[0]?.handle.requiredScope ?? 'none']);
    }),
  );
}

/** Every `METHOD /path` the API router serves, paths in OpenAPI form (`/alerts/{id}`). */
function servedRoutes(router: Router): string[] {
  return (router.stack as RouteLayer[])
    .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route?.path.replace(/:(\w+)/g, '{$1}')}`) : []))
    .sort();
}

/** Every `METHOD /path` the document describes. */
function documentedRoutes(): string[] {
  return Object.entries(OPENAPI_DOCUMENT.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

/** Every `$ref` in a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [child] : refs(child)));
}

function resolve(pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], OPENAPI_DOCUMENT);
}

describe('OPENAPI_DOCUMENT', () => {
  const router = createApiRouter({ store: {} as AlertStore, verifier: createJwtVerifier({ hs256Secret: 'x'.repeat(32) }) });

  it('describes exactly the routes the API serves', () => {
    expect(documentedRoutes()).toEqual(servedRoutes(router));
  });

  it('resolves every $ref inside the document', () => {
    const missing = refs(OPENAPI_DOCUMENT).filter((ref) => resolve(ref) === undefined);
    expect(missing).toEqual([]);
  });

  it('names in the security requirement of each operation exactly the scope its route requires, and only the scopes of the API', () => {
    const documented = Object.fromEntries(
      Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => {
          const security = (operation as { security: Array<Record<string, string[]>> }).security;
          return [`${method.toUpperCase()} ${path}`, security.length === 0 ? 'none' : security.map((requirement) => (requirement['bearerAuth'] ?? []).join(' ')).join(' | ')];
        }),
      ),
    );
    // openapi.json is served before authentication: the only route without a guard.
    expect(servedScopes(router)).toEqual({ ...documented, 'GET /openapi.json': 'none' });
    expect(documented['GET /openapi.json']).toBe('none');
    const scopes = Object.entries(documented).filter(([route]) => route !== 'GET /openapi.json').map(([, scope]) => scope);
    expect([...new Set(scopes)].sort()).toEqual([...API_SCOPES].sort());
    expect(documented).toMatchObject({ 'GET /alerts': 'alerts:read', 'POST /alerts/{id}/acknowledge': 'alerts:write', 'DELETE /silences/{id}': 'alerts:write', 'PUT /rules/{id}': 'rules:write' });
  });

  it('documents 401, 403 and 503 on every authenticated operation and problem+json for every error', () => {
    for (const [path, operations] of Object.entries(OPENAPI_DOCUMENT.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const responses = (operation as { responses: Record<string, unknown> }).responses;
        if (path === '/openapi.json') continue;
        expect({ route: `${method} ${path}`, codes: Object.keys(responses) }).toEqual({ route: `${method} ${path}`, codes: expect.arrayContaining(['401', '403', '503', '500']) });
      }
    }
    for (const response of Object.values(OPENAPI_DOCUMENT.components.responses)) {
      expect(Object.keys(response.content)).toEqual(['application/problem+json']);
    }
  });

  it('is an OpenAPI 3.1 document served under /api/v1', () => {
    expect(OPENAPI_DOCUMENT.openapi).toBe('3.1.0');
    expect(OPENAPI_DOCUMENT.servers).toEqual([{ url: '/api/v1' }]);
    expect(OPENAPI_DOCUMENT.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
