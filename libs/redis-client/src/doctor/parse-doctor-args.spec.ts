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
});
