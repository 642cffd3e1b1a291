import { DoctorUsageError, parseDoctorArgs } from './parse-doctor-args';

describe('parseDoctorArgs', () => {
  it('reads every option, in both --name value and --name=value forms', () => {
    expect(parseDoctorArgs(['--json', '--url', 'redis://h:1/0', '--timeout=250', '--no-color'])).toEqual({
      help: false,
      json: true,
      url: 'redis://h:1/0',
      timeoutMs: 250,
      color: false,
    });
    expect(parseDoctorArgs(['-h']).help).toBe(true);
  });

  it('rejects unknown arguments, missing values and bad timeouts with a usage error', () => {
    expect(() => parseDoctorArgs(['--verbose'])).toThrow(DoctorUsageError);
    expect(() => parseDoctorArgs(['--url'])).toThrow('--url needs a value');
    expect(() => parseDoctorArgs(['--timeout', 'soon'])).toThrow('--timeout must be a positive number');
    expect(() => parseDoctorArgs(['--timeout', '0'])).toThrow(DoctorUsageError);
  });

  it('issue 11 item 27: echoes no argument that could hold a password (a URL given without --url, a stray value)', () => {
    const url = 'redis://:Xy@Zq7/TopSecretTail@redis.internal:6379/0';
    for (const argv of [[url], ['--json', url], ['--timeout', url], [`--timeout=${url}`], [`--frobnicate=${url}`]]) {
      let message = '';
      try {
        parseDoctorArgs(argv);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      for (const part of ['Xy', 'Zq7', 'TopSecretTail', 'redis.internal']) expect(message).not.toContain(part);
    }
    // Option names are still named.
    expect(() => parseDoctorArgs(['--verbose'])).toThrow('unknown argument "--verbose"');
  });
});
