import { GatewayCloseCode } from './close-codes';
import { isServerErrorCode, SERVER_ERROR_CODES, ServerErrorCode } from './error-codes';

describe('ServerErrorCode', () => {
  it('has unique snake_case codes', () => {
    expect(new Set(SERVER_ERROR_CODES).size).toBe(SERVER_ERROR_CODES.length);
    for (const code of SERVER_ERROR_CODES) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('recognizes its own codes only', () => {
    expect(isServerErrorCode(ServerErrorCode.NotGranted)).toBe(true);
    expect(isServerErrorCode('teapot')).toBe(false);
    expect(isServerErrorCode(undefined)).toBe(false);
  });
});

describe('GatewayCloseCode', () => {
  it('uses standard codes or the 4000-4999 application range, each once', () => {
    const codes: number[] = Object.values(GatewayCloseCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect([1000, 1001, 1006, 1009, 1011, 1013].includes(code) || (code >= 4000 && code <= 4999)).toBe(true);
  });
});
