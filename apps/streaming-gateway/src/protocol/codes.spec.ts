import { CLOSE_REASONS, CloseCode } from './close-codes';
import { ERROR_CODES, ErrorCode, isErrorCode } from './error-codes';

describe('ErrorCode', () => {
  it('has unique snake_case codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('recognizes its own codes only', () => {
    expect(isErrorCode(ErrorCode.NotGranted)).toBe(true);
    expect(isErrorCode('teapot')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});

describe('CloseCode', () => {
  it('uses standard codes or the 4000-4999 application range', () => {
    for (const code of Object.values(CloseCode)) {
      expect([1000, 1001, 1009, 1011, 1013].includes(code) || (code >= 4000 && code <= 4999)).toBe(true);
    }
  });

  it('has a reason for every code that fits a close frame', () => {
    for (const code of Object.values(CloseCode)) {
      expect(Buffer.byteLength(CLOSE_REASONS[code])).toBeGreaterThan(0);
      expect(Buffer.byteLength(CLOSE_REASONS[code])).toBeLessThanOrEqual(123);
    }
  });
});
