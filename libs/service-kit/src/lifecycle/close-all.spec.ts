import pino from 'pino';
import { closeAll } from './close-all';

describe('closeAll', () => {
  it('runs every step even when one fails and reports the failure', async () => {
    const ran: string[] = [];
    const failures = await closeAll(
      [
        ['a', () => ran.push('a')],
        ['b', () => Promise.reject(new Error('b broke'))],
        ['c', () => ran.push('c')],
      ],
      pino({ level: 'silent' }),
    );
    expect(ran).toEqual(['a', 'c']);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.step).toBe('b');
  });
});
