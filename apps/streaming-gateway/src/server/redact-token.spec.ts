import { redactToken } from './redact-token';

describe('redactToken', () => {
  it('replaces the token value and keeps the other parameters', () => {
    expect(redactToken('/ws?token=eyJhbGciOi.abc.def&session=s-12345678')).toBe('/ws?token=[redacted]&session=s-12345678');
  });

  it('redacts a token that is not the first parameter, whatever its case', () => {
    expect(redactToken('/ws?session=abcdefgh&TOKEN=secret#x')).toBe('/ws?session=abcdefgh&TOKEN=[redacted]#x');
  });

  it('leaves URLs without a token unchanged', () => {
    expect(redactToken('/ws')).toBe('/ws');
    expect(redactToken(undefined)).toBe('');
  });
});
