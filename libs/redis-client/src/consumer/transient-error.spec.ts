import { isTransientRedisError } from './transient-error';

describe('isTransientRedisError', () => {
  it.each([
    "Stream isn't writeable and enableOfflineQueue options is false",
    'Connection is closed.',
    'connect ECONNREFUSED 127.0.0.1:6379',
    'LOADING Redis is loading the dataset in memory',
    'CLUSTERDOWN The cluster is down',
    'Command timed out',
  ])('recognises "%s"', (message) => {
    expect(isTransientRedisError(new Error(message))).toBe(true);
  });

  it('recognises a socket error code and a wrapped cause', () => {
    expect(isTransientRedisError(Object.assign(new Error('socket failed'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientRedisError(new Error('storing the alert failed', { cause: new Error('Connection is closed.') }))).toBe(true);
  });

  it('does not excuse a failure of the event itself', () => {
    expect(isTransientRedisError(new Error('price must be positive'))).toBe(false);
    expect(isTransientRedisError(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isTransientRedisError('Connection is closed.')).toBe(false);
  });
});
