import { isConnectionError } from './is-connection-error';
import { RedisUnavailableError } from './redis-unavailable-error';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isConnectionError', () => {
  it.each([
    ['the offline queue being off', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['a closed connection', new Error('Connection is closed.')],
    ['a Cluster that is not ready', new Error("Cluster isn't ready and enableOfflineQueue options is false")],
    ['exhausted retries', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' })],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED')],
    ['a server still loading its data', new Error('LOADING Redis is loading the dataset in memory')],
    ['a Cluster that is down', new Error('CLUSTERDOWN The cluster is down')],
    ['a Cluster still down after the retries', new Error('Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down')],
    ['a replica after failover', new Error("READONLY You can't write against a read only replica.")],
    ['a command unanswered within the command timeout (issue 11 item 29: a Redis that hangs)', new Error('Command timed out')],
    ['waitUntilReady giving up', new RedisUnavailableError('Redis at redis://h:1/0 is not ready', 'redis://h:1/0', 'reconnecting')],
  ])('recognises %s', (_case, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a wrong type', new Error('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a script error', new Error('ERR Error running script')],
    ['a missing group', new Error('NOGROUP No such key or consumer group')],
    ['a non-error', 'Connection is closed.'],
    ['nothing', undefined],
  ])('does not take %s for a connection problem', (_case, error) => {
    expect(isConnectionError(error)).toBe(false);
  });
});
