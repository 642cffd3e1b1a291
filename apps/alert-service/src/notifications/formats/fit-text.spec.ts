import { ELLIPSIS, fitText } from './fit-text';

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

describe('fitText', () => {
  it('keeps a text that fits, escaped', () => {
    expect(fitText('a<b', 6, html)).toBe('a&lt;b');
    expect(fitText('', 0)).toBe('');
  });

  it('cuts a longer text to exactly the limit, ending with an ellipsis', () => {
    const fitted = fitText('x'.repeat(100), 10);
    expect(fitted).toBe(`${'x'.repeat(9)}${ELLIPSIS}`);
    expect(fitted.length).toBe(10);
  });

  it('never cuts inside an escape sequence', () => {
    // "a&lt;…" would be 6 units: in 5, the cut falls before the first "<", not inside its "&lt;".
    expect(fitText('a<<<<', 5, html)).toBe(`a${ELLIPSIS}`);
    expect(fitText('a<<<<', 7, html)).toBe(`a&lt;${ELLIPSIS}`);
    expect(fitText('a<<<<', 10, html)).toBe(`a&lt;&lt;${ELLIPSIS}`);
  });

  it('never splits a surrogate pair', () => {
    const fitted = fitText('🟥🟥🟥🟥', 4);
    expect(fitted).toBe(`🟥${ELLIPSIS}`);
    expect(fitted.length).toBeLessThanOrEqual(4);
  });

  it('gives an empty text when not even the ellipsis fits', () => {
    expect(fitText('abc', 0)).toBe('');
  });
});
