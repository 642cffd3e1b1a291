import { describeSecretLeaks, findSecretLeaks } from './find-secret-leaks';
import { secretForms } from './secret-forms';

const SECRET = 'Zq9!p@ss w0rd/+=:x';
const OTHER = '6f1c0e2ab34d5e6f';
/** A secret whose base64 has `+` and `/` at every alignment, so base64url and percent-encoding change it. */
const B64_SECRET = '>>>???>>>???~~~>>>';

describe('findSecretLeaks', () => {
  it('finds nothing in texts without the secrets', () => {
    expect(findSecretLeaks([{ source: 'a', text: 'redis://rebal-gateway:***@127.0.0.1:6379/0\nall good' }], [SECRET, OTHER])).toEqual([]);
  });

  it('finds the secret as is, with its source, line and index, and masks it in the excerpt', () => {
    const leaks = findSecretLeaks([{ source: 'gateway-1', text: `line one\n{"msg":"connecting","url":"redis://u:${OTHER}@h"}\n` }], [SECRET, OTHER]);
    expect(leaks).toEqual([{ source: 'gateway-1', secretIndex: 1, form: 'raw', line: 2, excerpt: '{"msg":"connecting","url":"redis://u:***@h"}' }]);
  });

  it.each([
    ['percent-encoded (a password in a URL)', `rediss://u:${encodeURIComponent(SECRET)}@host`, 'url'],
    ['percent-encoded with lower-case escapes', `?pw=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`, 'url'],
    ['inside a JSON string', JSON.stringify({ password: `${SECRET}"\\` }), 'raw'],
    ['hex', `bytes=${Buffer.from(SECRET).toString('hex')}`, 'hex'],
    ['base64 on its own', `auth ${Buffer.from(SECRET).toString('base64')}`, 'base64'],
    ['base64 inside a Basic header (user:password, offset 1)', `Authorization: Basic ${Buffer.from(`u:${SECRET}`).toString('base64')}`, 'base64'],
    ['base64 at offset 2', Buffer.from(`ab${SECRET}cd`).toString('base64'), 'base64'],
    ['base64 at offset 0 inside a longer text', Buffer.from(`abc${SECRET}xyz`).toString('base64'), 'base64'],
    ['base64url', Buffer.from(`x${B64_SECRET}`).toString('base64url'), 'base64url'],
    ['percent-encoded base64', `?auth=${encodeURIComponent(Buffer.from(B64_SECRET).toString('base64'))}`, 'base64-url-encoded'],
  ])('finds the secret %s', (_what, text, form) => {
    const secret = form.startsWith('base64') && form !== 'base64' ? B64_SECRET : SECRET;
    const leaks = findSecretLeaks([{ source: 's', text }], [OTHER, secret]);
    expect(leaks.map((leak) => [leak.secretIndex, leak.form])).toContainEqual([1, form]);
  });

  it('finds a JSON-escaped secret whose escaping changes it', () => {
    const secret = 'quote"back\\slash-and-more';
    const leaks = findSecretLeaks([{ source: 'pino', text: JSON.stringify({ msg: 'x', password: secret }) }], [secret]);
    expect(leaks.map((leak) => leak.form)).toEqual(['json']);
  });

  it('reports every occurrence, across texts and lines, in text order', () => {
    const leaks = findSecretLeaks(
      [
        { source: 'one', text: `${OTHER} and ${OTHER}` },
        { source: 'two', text: `a\nb\nc ${SECRET}` },
      ],
      [SECRET, OTHER],
    );
    expect(leaks.map((leak) => [leak.source, leak.line, leak.secretIndex])).toEqual([
      ['one', 1, 1],
      ['one', 1, 1],
      ['two', 3, 0],
    ]);
  });

  it('masks every secret of the line in an excerpt, even one cut by the context window', () => {
    const text = `${'x'.repeat(50)}${SECRET}${'y'.repeat(3)}${OTHER}${'z'.repeat(50)}`;
    const leaks = findSecretLeaks([{ source: 's', text }], [SECRET, OTHER], { contextChars: 5 });
    expect(leaks).toHaveLength(2);
    for (const leak of leaks) {
      expect(leak.excerpt).not.toContain(OTHER.slice(0, 4));
      expect(leak.excerpt).not.toContain(SECRET.slice(0, 4));
      expect(leak.excerpt).toContain('***');
    }
    expect(leaks[0]?.excerpt).toBe('…xxxxx***yyy***…');
  });

  it('reports a secret inside a longer secret once for each secret, not once per form', () => {
    const token = `header.payload.${OTHER}signature`;
    const leaks = findSecretLeaks([{ source: 's', text: `got ${token}` }], [token, OTHER]);
    expect(leaks.map((leak) => leak.secretIndex)).toEqual([0, 1]);
  });

  it('ignores empty secrets and refuses one too short to be meaningful', () => {
    expect(findSecretLeaks([{ source: 's', text: 'anything' }], [''])).toEqual([]);
    expect(() => findSecretLeaks([{ source: 's', text: 'anything' }], ['short'])).toThrow(RangeError);
    expect(findSecretLeaks([{ source: 's', text: 'a short one' }], ['short'], { minSecretLength: 4 })).toHaveLength(1);
  });

  it('describes leaks in one line each, without the secret', () => {
    const text = `pw=${SECRET}`;
    const described = describeSecretLeaks(findSecretLeaks([{ source: 'redis', text }], [SECRET]));
    expect(described).toBe('redis:1: secret #0 (raw): pw=***');
    expect(described).not.toContain(SECRET);
  });
});

describe('secretForms', () => {
  it('puts the raw form first and lists no form twice', () => {
    const forms = secretForms(OTHER);
    expect(forms[0]).toEqual({ form: 'raw', text: OTHER });
    expect(new Set(forms.map((form) => form.text)).size).toBe(forms.length);
  });

  it.each(['base64', 'base64url'] as const)('gives %s texts that occur in the encoding of the secret at every alignment', (encoding) => {
    const texts = secretForms(B64_SECRET).filter((form) => form.form === encoding);
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      const encoded = Buffer.from(`${prefix}${B64_SECRET}tail`).toString(encoding);
      expect(texts.some((form) => encoded.includes(form.text))).toBe(true);
    }
  });
});
