import pino from 'pino';
import { runPeriodicTask } from './periodic-task';

describe('runPeriodicTask', () => {
  it('survives failed passes, reports them, and stops on abort', async () => {
    const controller = new AbortController();
    const failures: unknown[] = [];
    let passes = 0;
    const done = runPeriodicTask({
      name: 'test',
      intervalMs: 1,
      backoff: { maxMs: 4 },
      signal: controller.signal,
      logger: pino({ level: 'silent' }),
      onFailure: (error) => failures.push(error),
      task: async () => {
        passes++;
        if (passes <= 3) throw new Error(`pass ${passes}`);
        if (passes === 6) controller.abort();
      },
    });
    await done;
    expect(passes).toBe(6);
    expect(failures.map((e) => (e as Error).message)).toEqual(['pass 1', 'pass 2', 'pass 3']);
  });

  it('ends when the task says it is done: a retry until the first success', async () => {
    let passes = 0;
    await runPeriodicTask({
      name: 'start',
      intervalMs: 1,
      signal: new AbortController().signal,
      logger: pino({ level: 'silent' }),
      task: async () => {
        passes++;
        if (passes < 3) throw new Error('not yet');
        return 'done';
      },
    });
    expect(passes).toBe(3);
  });

  it('backs off after failures (doubling from twice the interval, capped) and logs once when failing starts and once when it ends', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line).msg as string) });
    await runPeriodicTask({
      name: 'poll',
      intervalMs: 20,
      backoff: { maxMs: 60 },
      signal: controller.signal,
      logger,
      task: async () => {
        started.push(Date.now());
        if (started.length <= 4) throw new Error('down');
        if (started.length === 6) controller.abort();
      },
    });
    const pauses = started.slice(1).map((at, i) => at - (started[i] as number));
    // After failures 1, 2, 3, 4: 40, 60 (the cap; 80 without), 60 (160 without), 60; after the good pass: 20.
    expect(pauses[0]).toBeGreaterThanOrEqual(38);
    expect(pauses[1]).toBeGreaterThanOrEqual(58);
    expect(pauses[2]).toBeGreaterThanOrEqual(58);
    expect(pauses[2]).toBeLessThan(155);
    expect(pauses[4]).toBeGreaterThanOrEqual(18);
    expect(lines).toEqual(['poll failed; retrying with backoff', 'poll recovered']);
  });

  it('stops at once when aborted during a pause', async () => {
    const controller = new AbortController();
    let passes = 0;
    const loop = runPeriodicTask({ name: 'slow', intervalMs: 60_000, signal: controller.signal, logger: pino({ level: 'silent' }), task: async () => void passes++ });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await loop;
    expect(passes).toBe(1);
  });
});
