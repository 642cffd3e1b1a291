/**
 * The browser origins of the console the gateway on `gatewayPort` serves, both spellings of
 * the loopback host (`http://127.0.0.1:<port>,http://localhost:<port>`): the `CORS_ORIGINS` of
 * the alert service and the health monitor, so the page may call them whichever of the two the
 * developer opened.
 */
export function gatewayOrigins(gatewayPort: number): string {
  return [`http://127.0.0.1:${gatewayPort}`, `http://localhost:${gatewayPort}`].join(',');
}
