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
      maxBackoffMs: 4,
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
});
