/** `REBAL_PORT_BASE` when unset: the ports of DESIGN.md (gateway 8080 ... simulator 8083). */
export const DEFAULT_PORT_BASE = 8080;

/** The alert service's port in the default plan; the dashboard assumes it unless told otherwise. */
export const DEFAULT_ALERT_SERVICE_PORT = DEFAULT_PORT_BASE + 1;

/** Offset of each service's HTTP port from the base, in the order of DESIGN.md. */
export const PORT_OFFSETS = {
  'streaming-gateway': 0,
  'alert-service': 1,
  'health-monitor': 2,
  'market-simulator': 3,
} as const;

/** A service of the local stack that has a port in the plan. */
export type PlannedService = keyof typeof PORT_OFFSETS;

/** The HTTP port of every service of the local stack. */
export type PortPlan = Readonly<Record<PlannedService, number>>;

/** Highest base whose last port (base + 3) is still a TCP port. */
export const MAX_PORT_BASE = 65_535 - Math.max(...Object.values(PORT_OFFSETS));

/**
 * The ports of the local stack for `base`: gateway = base, alert service = base + 1,
 * health monitor = base + 2, market simulator = base + 3.
 * @throws RangeError when `base` is not an integer from 1 to {@link MAX_PORT_BASE}
 */
export function planPorts(base: number = DEFAULT_PORT_BASE): PortPlan {
  if (!Number.isInteger(base) || base < 1 || base > MAX_PORT_BASE) {
    throw new RangeError(`the port base must be an integer from 1 to ${MAX_PORT_BASE}, got ${base}`);
  }
  return {
    'streaming-gateway': base + PORT_OFFSETS['streaming-gateway'],
    'alert-service': base + PORT_OFFSETS['alert-service'],
    'health-monitor': base + PORT_OFFSETS['health-monitor'],
    'market-simulator': base + PORT_OFFSETS['market-simulator'],
  };
}
