/**
 * The browser origins of the dashboard the gateway on `gatewayPort` serves, both spellings of
 * the loopback host (`http://127.0.0.1:<port>,http://localhost:<port>`): the alert service's
 * `CORS_ORIGINS`, so the page may call its API whichever of the two the developer opened.
 */
export function gatewayOrigins(gatewayPort: number): string {
  return [`http://127.0.0.1:${gatewayPort}`, `http://localhost:${gatewayPort}`].join(',');
}
