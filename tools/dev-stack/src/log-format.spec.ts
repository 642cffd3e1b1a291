import { chooseLogFormat, LogFormatError } from './log-format';

describe('chooseLogFormat', () => {
  it('prints for a person on a terminal and keeps JSON when the output is a pipe or a file', () => {
    expect(chooseLogFormat([], true)).toBe('pretty');
    expect(chooseLogFormat(['--no-build'], false)).toBe('json');
  });

  it('gives raw JSON with --json-logs, and readable logs with --pretty-logs, wherever the output goes', () => {
    expect(chooseLogFormat(['--json-logs'], true)).toBe('json');
    expect(chooseLogFormat(['--no-build', '--pretty-logs'], false)).toBe('pretty');
  });

  it('refuses both flags at once with a stable code', () => {
    expect(() => chooseLogFormat(['--json-logs', '--pretty-logs'], true)).toThrow(LogFormatError);
    expect(() => chooseLogFormat(['--pretty-logs', '--json-logs'], false)).toThrow(expect.objectContaining({ code: 'ERR_LOG_FORMAT' }));
  });
});
