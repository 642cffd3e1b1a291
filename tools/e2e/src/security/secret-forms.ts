/** How a secret may be written in a log line. */
export type SecretFormName = 'raw' | 'url' | 'json' | 'hex' | 'base64' | 'base64url' | 'base64-url-encoded';

/** One spelling of a secret that {@link secretForms} produces. */
export interface SecretForm {
  /** How the secret was encoded. */
  readonly form: SecretFormName;
  /** The text to look for. */
  readonly text: string;
}

/**
 * The base64 text that stands for `bytes` wherever they sit in a longer byte string that was
 * base64-encoded whole (e.g. `user:password` in a Basic header, or a URL with its password):
 * one text per alignment (0, 1 or 2 bytes before it), without the characters that also
 * depend on the neighbouring bytes.
 */
function base64Alignments(bytes: Buffer): string[] {
  const texts: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    // Character i of base64 covers bits [6i, 6i + 6): keep those made of the secret's bits only.
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    if (end > first) texts.push(encoded.slice(first, end));
  }
  return texts;
}

/** The same text with its percent escapes in lower case (`%2f` instead of `%2F`). */
function lowerEscapes(text: string): string {
  return text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

/**
 * Every spelling of `secret` a logger or a library could produce: as is, percent-encoded
 * (upper- and lower-case escapes), JSON-escaped, hex of its UTF-8 bytes, and base64,
 * base64url and percent-encoded base64 at each of the three byte alignments (so it is found
 * inside a longer encoded text too). Duplicates are dropped; the raw form comes first.
 */
export function secretForms(secret: string): SecretForm[] {
  const bytes = Buffer.from(secret, 'utf8');
  const candidates: SecretForm[] = [
    { form: 'raw', text: secret },
    { form: 'url', text: encodeURIComponent(secret) },
    { form: 'url', text: lowerEscapes(encodeURIComponent(secret)) },
    { form: 'json', text: JSON.stringify(secret).slice(1, -1) },
    { form: 'hex', text: bytes.toString('hex') },
  ];
  for (const text of base64Alignments(bytes)) {
    candidates.push({ form: 'base64', text });
    candidates.push({ form: 'base64url', text: text.replace(/\+/g, '-').replace(/\//g, '_') });
    candidates.push({ form: 'base64-url-encoded', text: encodeURIComponent(text) });
    candidates.push({ form: 'base64-url-encoded', text: lowerEscapes(encodeURIComponent(text)) });
  }
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    if (candidate.text.length === 0 || seen.has(candidate.text)) return false;
    seen.add(candidate.text);
    return true;
  });
}
