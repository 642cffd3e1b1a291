import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { counter, histogram } from '@rebal/redis-client';

/**
 * Counts every API request in `rebal_alert_api_requests_total{method, route, status}` and
 * times it in `rebal_alert_api_request_duration_seconds{method, route}`; `route` is the
 * route's template (`/api/v1/alerts/:id`), or `unmatched`, so ids never become labels.
 */
export function apiMetrics(registry?: Registry): RequestHandler {
  const requests = counter({
    name: 'rebal_alert_api_requests_total',
    help: 'REST API requests, by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
    registry,
  });
  const duration = histogram({
    name: 'rebal_alert_api_request_duration_seconds',
    help: 'REST API request duration, by method and route template.',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registry,
  });
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const template = req.route?.path;
      const route = typeof template === 'string' ? `${req.baseUrl}${template}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ method: req.method, route }, (performance.now() - started) / 1000);
    });
    next();
  };
}
