import { ProblemError } from '@rebal/service-kit';
import type { AlertStore, RuleStatus } from '../../store';
import { toRuleJson } from '../api-json';
import { API_BASE_PATH } from '../api-paths';
import { pathId } from './route-helpers';
import type { ScopedRouter } from './scoped-router';

/** A rule body without its read-only `status`: a rule as GET answers it may be sent back as it is. */
function withoutStatus(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('status' in body)) return body;
  const { status: _readOnly, ...rest } = body as Record<string, unknown>;
  return rest;
}

/**
 * The rule routes: `GET /rules`, `POST /rules` (201, or 409 `rule_exists` when the id is
 * taken: one atomic check-and-write, so of concurrent creators of one id exactly one gets 201), `GET /rules/{id}`, `PUT /rules/{id}` (create 201 or replace 200; the body's `id`
 * may be omitted and must otherwise equal the path's), `DELETE /rules/{id}` (204). Bodies are
 * validated by the rule engine's schema (400 naming each field); a `status` in a body (what GET
 * answers beside the definition) is ignored. GETs answer each rule with its `status`. `onChanged` runs after every
 * change (the service's rules cache reloads at once instead of at its next refresh). Reads
 * need the scope `alerts:read`, changes `rules:write`.
 */
export function ruleRoutes(router: ScopedRouter, store: AlertStore, onChanged: () => void): void {
  router.get('/rules', 'alerts:read', async (_req, res) => {
    const rules = await store.listRules();
    const statuses = await store.ruleStatuses(rules);
    res.json({ items: rules.map((rule) => toRuleJson(rule, statuses.get(rule.id) as RuleStatus)) });
  });

  router.post('/rules', 'rules:write', async (req, res) => {
    const saved = await store.createRule(withoutStatus(req.body));
    if (!saved.created) {
      throw new ProblemError(409, 'rule_exists', `a rule with id ${saved.rule.id} exists; replace it with PUT ${API_BASE_PATH}/rules/${saved.rule.id}`);
    }
    onChanged();
    res.status(201).location(`${API_BASE_PATH}/rules/${encodeURIComponent(saved.rule.id)}`).json(saved.rule);
  });

  router.get('/rules/:id', 'alerts:read', async (req, res) => {
    const id = pathId(req);
    const rule = await store.getRule(id);
    if (!rule) throw new ProblemError(404, 'not_found', `rule ${id} not found`);
    const statuses = await store.ruleStatuses([rule]);
    res.json(toRuleJson(rule, statuses.get(id) as RuleStatus));
  });

  router.put('/rules/:id', 'rules:write', async (req, res) => {
    const id = pathId(req);
    const body: unknown = withoutStatus(req.body);
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'id' in body && body.id !== id) {
      throw ProblemError.invalid([{ field: 'id', message: `must equal the id in the path (${id}) or be omitted` }]);
    }
    const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, id } : body;
    const saved = await store.putRule(input);
    onChanged();
    if (saved.created) res.status(201).location(`${API_BASE_PATH}/rules/${encodeURIComponent(id)}`);
    res.json(saved.rule);
  });

  router.delete('/rules/:id', 'rules:write', async (req, res) => {
    await store.deleteRule(pathId(req));
    onChanged();
    res.status(204).end();
  });
}
