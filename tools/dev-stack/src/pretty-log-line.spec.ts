import { prettyLogLine } from './pretty-log-line';

const TIME = new Date(2026, 0, 2, 13, 4, 5, 678).getTime();
const record = (fields: Record<string, unknown>) => JSON.stringify({ level: 30, time: TIME, pid: 4242, hostname: 'dev-box', name: 'alert-service', ...fields });

describe('prettyLogLine', () => {
  const plain = prettyLogLine({ service: 'alert-service', colorize: false });

  it('shows a pino line as local time, level and message, then its other fields, without pid, hostname or the service name', () => {
    const line = plain(record({ msg: 'Registered consumer for stream: market_data', stream: 'market_data' }));
    expect(line).toBe('[13:04:05.678] INFO: Registered consumer for stream: market_data {"stream":"market_data"}');
  });

  it('keeps a name other than the service, e.g. of a library logger', () => {
    expect(plain(record({ name: 'bullmq', level: 40, msg: 'stalled job' }))).toBe('[13:04:05.678] WARN (bullmq): stalled job');
  });

  it("puts an error's stack on the lines after its message", () => {
    const text = plain(record({ level: 50, msg: 'handler failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at handle (handler.ts:1:1)' } }));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\[13:04:05\.678\] ERROR: handler failed/);
    expect(text).toContain('at handle (handler.ts:1:1)');
    expect(text.endsWith('\n')).toBe(false);
  });

  it('leaves every other line as it is: plain text, broken JSON, JSON that is not a pino record', () => {
    for (const line of ['Listening on 8081', '{"level":30,', '{"msg":"no level or time"}', '[1,2]', '']) expect(plain(line)).toBe(line);
  });

  it('colours only when asked', () => {
    const line = record({ msg: 'ready' });
    expect(plain(line)).not.toContain('\x1b[');
    expect(prettyLogLine({ service: 'alert-service', colorize: true })(line)).toContain('\x1b[');
  });
});
