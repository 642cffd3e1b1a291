import { DEFAULT_PORT_BASE, MAX_PORT_BASE, planPorts } from './port-plan';

describe('planPorts', () => {
  it('gives the ports of the design notes by default: gateway 8080, alert service 8081, health monitor 8082, simulator 8083', () => {
    expect(DEFAULT_PORT_BASE).toBe(8080);
    expect(planPorts()).toEqual({ 'streaming-gateway': 8080, 'alert-service': 8081, 'health-monitor': 8082, 'market-simulator': 8083 });
  });

  it('moves every port with the base', () => {
    expect(planPorts(18_080)).toEqual({ 'streaming-gateway': 18_080, 'alert-service': 18_081, 'health-monitor': 18_082, 'market-simulator': 18_083 });
  });

  it('accepts the highest base whose last port is 65535', () => {
    expect(MAX_PORT_BASE).toBe(65_532);
    expect(planPorts(MAX_PORT_BASE)['market-simulator']).toBe(65_535);
  });

  it.each([0, -1, 1.5, 65_533, Number.NaN])('refuses the base %p', (base) => {
    expect(() => planPorts(base)).toThrow(RangeError);
  });
});
