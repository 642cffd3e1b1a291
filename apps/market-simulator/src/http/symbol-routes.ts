import type { Logger } from '@rebal/redis-client';
import { sendProblem } from '@rebal/service-kit';
import type { Express } from 'express';

/**
 * Adds `POST /api/v1/symbols/{symbol}/pause` and `POST /api/v1/symbols/{symbol}/resume`: stop
 * and restart one symbol's `price_update` events (the other symbols keep their rate; the paused
 * symbol's price keeps walking unseen), to see a stale feed reach the health monitor, the alert
 * service and the dashboard. Each answers `{symbol, paused}`; an unknown symbol is a 404
 * problem `unknown_symbol`. No body is read. `paused` is the set the publisher consults.
 */
export function symbolRoutes(symbols: readonly string[], paused: Set<string>, logger: Logger): (app: Express) => void {
  const known = new Set(symbols);
  return (app) => {
    for (const action of ['pause', 'resume'] as const) {
      app.post(`/api/v1/symbols/:symbol/${action}`, (req, res) => {
        const symbol = String(req.params['symbol']);
        if (!known.has(symbol)) {
          sendProblem(res, 404, 'unknown_symbol', `${symbol.slice(0, 40)} is not simulated (SIM_SYMBOLS: ${symbols.join(', ')})`);
          return;
        }
        const was = paused.has(symbol);
        if (action === 'pause') paused.add(symbol);
        else paused.delete(symbol);
        if (was !== paused.has(symbol)) logger.info({ symbol }, `${action === 'pause' ? 'paused' : 'resumed'} the price feed of ${symbol}`);
        res.json({ symbol, paused: paused.has(symbol) });
      });
    }
  };
}
