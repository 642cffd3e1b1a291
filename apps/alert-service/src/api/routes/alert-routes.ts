import type { AlertRecord } from '../../alerts';
import type { AlertPage, AlertStore } from '../../store';
import { actorOf } from '../auth';
import { toAlertJson, toChangeJson, toEvidenceViewJson } from '../api-json';
import { emptyBodySchema, listAlertsQuerySchema, parseOrThrow, snoozeBodySchema } from '../request-schemas';
import { alertNotFound, pathId } from './route-helpers';
import type { ScopedRouter } from './scoped-router';

/** Store pages fetched at most for one `GET /alerts` with several labels before a short page is returned. */
const MAX_LABEL_ROUNDS = 10;

type ListQuery = ReturnType<typeof listAlertsQuerySchema.parse>;

function splitLabel(label: string): [string, string] {
  const at = label.indexOf('=');
  return [label.slice(0, at), label.slice(at + 1)];
}

/**
 * One page of alerts. The store filters by one label; further labels are checked here, page
 * after page (at most {@link MAX_LABEL_ROUNDS}), asking each time only for as many alerts as
 * are still missing, so the cursor returned is always the store's own and no alert is skipped.
 */
async function listAlerts(store: AlertStore, query: ListQuery): Promise<AlertPage> {
  const [first, ...rest] = query.label ?? [];
  const base = {
    ...(query.status ? { status: query.status as AlertRecord['status'] } : {}),
    ...(query.severity ? { severity: query.severity } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(first ? { label: first } : {}),
  };
  const limit = query.limit ?? 50;
  if (rest.length === 0) return store.list({ ...base, limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  const extra = rest.map(splitLabel);
  const matches = (alert: AlertRecord) => extra.every(([name, value]) => alert.labels[name] === value);
  const items: AlertRecord[] = [];
  let cursor = query.cursor;
  for (let round = 0; round < MAX_LABEL_ROUNDS; round += 1) {
    const page = await store.list({ ...base, limit: limit - items.length, ...(cursor ? { cursor } : {}) });
    items.push(...page.items.filter(matches));
    cursor = page.nextCursor;
    if (!cursor) return { items };
    if (items.length >= limit) break;
  }
  return { items, nextCursor: cursor };
}

/**
 * The alert routes: `GET /alerts` (filters `status`, `severity`, `type`, repeatable
 * `label=name=value`, `limit`, `cursor`), `GET /alerts/{id}`, `GET /alerts/{id}/history`,
 * `GET /alerts/{id}/evidence` (the events that moved it, from their streams), and
 * the actions `POST /alerts/{id}/acknowledge`, `/snooze` (`{minutes: 5..1440}`) and
 * `/resolve`, each answering the alert after the change. The actor is `user:<sub>`. Reads
 * need the scope `alerts:read`, actions `alerts:write`.
 */
export function alertRoutes(router: ScopedRouter, store: AlertStore): void {
  router.get('/alerts', 'alerts:read', async (req, res) => {
    const query = parseOrThrow(listAlertsQuerySchema, req.query, 'invalid query');
    const page = await listAlerts(store, query);
    res.json({ items: page.items.map(toAlertJson), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });

  router.get('/alerts/:id', 'alerts:read', async (req, res) => {
    const id = pathId(req);
    const alert = await store.get(id);
    if (!alert) throw alertNotFound(id);
    res.json(toAlertJson(alert));
  });

  router.get('/alerts/:id/history', 'alerts:read', async (req, res) => {
    const changes = await store.history(pathId(req));
    res.json({ items: changes.map(toChangeJson) });
  });

  router.get('/alerts/:id/evidence', 'alerts:read', async (req, res) => {
    res.json(toEvidenceViewJson(await store.evidence(pathId(req))));
  });

  router.post('/alerts/:id/acknowledge', 'alerts:write', async (req, res) => {
    parseOrThrow(emptyBodySchema, req.body);
    const change = await store.acknowledge(pathId(req), actorOf(res));
    res.json(toAlertJson(change.alert));
  });

  router.post('/alerts/:id/snooze', 'alerts:write', async (req, res) => {
    const body = parseOrThrow(snoozeBodySchema, req.body);
    const change = await store.snooze(pathId(req), body.minutes, actorOf(res));
    res.json(toAlertJson(change.alert));
  });

  router.post('/alerts/:id/resolve', 'alerts:write', async (req, res) => {
    parseOrThrow(emptyBodySchema, req.body);
    const change = await store.resolve(pathId(req), actorOf(res));
    res.json(toAlertJson(change.alert));
  });
}
