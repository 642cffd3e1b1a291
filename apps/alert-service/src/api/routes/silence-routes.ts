import { ProblemError } from '@rebal/service-kit';
import type { AlertStore } from '../../store';
import { actorOf } from '../auth';
import { toSilenceJson } from '../api-json';
import { API_BASE_PATH } from '../api-paths';
import { listSilencesQuerySchema, parseOrThrow, silenceBodySchema } from '../request-schemas';
import { pathId } from './route-helpers';
import type { ScopedRouter } from './scoped-router';

/**
 * The silence routes: `GET /silences` (`state` = pending | active | expired), `POST /silences`
 * (201; `createdBy` defaults to the caller), `GET /silences/{id}`, `PUT /silences/{id}`
 * (replaces a pending or active silence: the body of `POST`, `createdBy` defaulting to the
 * caller, an omitted `startsAt` keeping the current start; 409 `silence_expired` for an
 * expired one), `DELETE /silences/{id}` (expires it at once and answers it, as Alertmanager
 * does; it stays listed as `expired` until the retention purge). Reads need the scope
 * `alerts:read`, changes `alerts:write`.
 */
export function silenceRoutes(router: ScopedRouter, store: AlertStore): void {
  router.get('/silences', 'alerts:read', async (req, res) => {
    const query = parseOrThrow(listSilencesQuerySchema, req.query, 'invalid query');
    const silences = await store.listSilences(query.state ? { state: query.state } : {});
    res.json({ items: silences.map(toSilenceJson) });
  });

  router.post('/silences', 'alerts:write', async (req, res) => {
    const body = parseOrThrow(silenceBodySchema, req.body, 'invalid silence');
    const silence = await store.createSilence({ ...body, createdBy: body.createdBy ?? actorOf(res) });
    res.status(201).location(`${API_BASE_PATH}/silences/${silence.id}`).json(toSilenceJson(silence));
  });

  router.get('/silences/:id', 'alerts:read', async (req, res) => {
    const id = pathId(req);
    const silence = await store.getSilence(id);
    if (!silence) throw new ProblemError(404, 'not_found', `silence ${id} not found`);
    res.json(toSilenceJson(silence));
  });

  router.put('/silences/:id', 'alerts:write', async (req, res) => {
    const id = pathId(req);
    const body = parseOrThrow(silenceBodySchema, req.body, 'invalid silence');
    const silence = await store.updateSilence(id, { ...body, createdBy: body.createdBy ?? actorOf(res) });
    res.json(toSilenceJson(silence));
  });

  router.delete('/silences/:id', 'alerts:write', async (req, res) => {
    res.json(toSilenceJson(await store.deleteSilence(pathId(req))));
  });
}
