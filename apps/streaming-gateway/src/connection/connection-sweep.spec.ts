import { ConnectionSweep, type SweptConnection } from './connection-sweep';

class Recorder implements SweptConnection {
  readonly visits: Array<{ now: number; ping: number }> = [];
  constructor(readonly serial: number) {}
  sweep(now: number, _wallNow: number, ping: number): void {
    this.visits.push({ now, ping });
  }
  get pings(): number[] {
    return this.visits.filter((visit) => visit.ping !== 0).map((visit) => visit.ping);
  }
}

describe('ConnectionSweep', () => {
  it('ticks at a quarter of the shortest timer, between 10 and 250 ms', () => {
    expect(ConnectionSweep.tickFor({ authTimeoutMs: 5_000, heartbeatIntervalMs: 30_000 })).toBe(250);
    expect(ConnectionSweep.tickFor({ authTimeoutMs: 400, heartbeatIntervalMs: 30_000 })).toBe(100);
    expect(ConnectionSweep.tickFor({ authTimeoutMs: 5_000, heartbeatIntervalMs: 20 })).toBe(10);
  });

  it('visits every connection each tick and pings each once per heartbeat interval, spread over the ticks', () => {
    const sweep = new ConnectionSweep<Recorder>({ tickMs: 250, heartbeatIntervalMs: 1_000 });
    const connections = Array.from({ length: 8 }, (_, serial) => new Recorder(serial + 1));
    for (const connection of connections) sweep.add(connection);
    for (let tick = 1; tick <= 8; tick++) sweep.tick(tick * 250, 0);
    // Every connection visited every tick, its heartbeat once every 4th tick (1 000 / 250): rounds 1 and 2.
    for (const connection of connections) {
      expect(connection.visits).toHaveLength(8);
      expect(connection.pings).toEqual([1, 2]);
    }
    // No tick holds more than a quarter of the heartbeats.
    for (const visit of [0, 1, 2, 3, 4, 5, 6, 7]) expect(connections.filter((connection) => connection.visits[visit]?.ping !== 0)).toHaveLength(2);
  });

  it('stops visiting a connection once deleted, also during a tick', () => {
    const sweep = new ConnectionSweep<SweptConnection>({ tickMs: 100, heartbeatIntervalMs: 1_000 });
    const visited: number[] = [];
    const second = { serial: 2, sweep: () => visited.push(2) };
    const first = { serial: 1, sweep: () => (visited.push(1), sweep.delete(second)) };
    sweep.add(first);
    sweep.add(second);
    sweep.tick(100, 0);
    expect(visited).toEqual([1]);
    expect(sweep.size).toBe(1);
  });
});
