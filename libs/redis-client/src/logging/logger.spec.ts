import pino from 'pino';
import { parseRedisConfig } from '../config';
import { REDACTED_PATHS, redactUrl } from './logger';

/** A pino logger with the library's redaction, writing into `lines`. */
function capture(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, { write: (line: string) => lines.push(line) });
  return { log, lines };
}

describe('REDACTED_PATHS', () => {
  const config = parseRedisConfig({
    REDIS_URL: 'redis://app:Main-Secret@h/0',
    REDIS_SENTINELS: 's1:26379',
    REDIS_SENTINEL_NAME: 'mymaster',
    REDIS_SENTINEL_PASSWORD: 'Sentinel-Secret',
    CACHE_REDIS_URL: 'redis://:Cache-Secret@c/0',
  });

  it.each([
    ['the connection options at the top level', config.main],
    ['the connection options under a key', { redis: config.main }],
    ['the whole Redis config under a key', { config }],
  ])('hides every password when a service logs %s', (_case, fields) => {
    const { log, lines } = capture();
    log.info(fields, 'starting');
    expect(lines).toHaveLength(1);
    for (const secret of ['Main-Secret', 'Sentinel-Secret', 'Cache-Secret']) expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).toContain('redis://app:***@s1:26379/0 (sentinel master mymaster)');
  });
});

describe('redactUrl', () => {
  it('replaces the password of a URL with ***', () => {
    expect(redactUrl('rediss://user:pa55@h:6380/1')).toBe('rediss://user:***@h:6380/1');
  });

  it('leaves a URL without password as it is', () => {
    expect(redactUrl('redis://h:6379/0')).toBe('redis://h:6379/0');
  });

  it('does not echo input that is not a URL', () => {
    expect(redactUrl('redis://:pa55@h:99999')).toBe('<unparseable url>');
  });
});
