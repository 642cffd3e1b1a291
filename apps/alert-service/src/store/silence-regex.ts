/**
 * RE2 syntax (what Alertmanager's matchers take) translated into a pattern V8's linear-time
 * engine runs. That engine refuses the `i`, `u` and `v` flags, so nothing here relies on them.
 * Every character the pattern matches against (a literal, `.`, a class) is a set of code
 * points, case-folded where `(?i)` applies. The sets split the code points into an alphabet:
 * code points every set treats alike share one letter (one UTF-16 unit). The pattern is
 * written over that alphabet and the label rewritten into it before matching, so `\pL` is a
 * class of a few letters instead of hundreds of ranges, and a code point outside the BMP is one
 * letter, as it is one character for RE2. RE2's ASCII classes (`\d`, `\s`, `\w`,
 * `[[:alpha:]]`) keep RE2's meaning, not JavaScript's. The matcher compiles the result with the
 * `l` flag: counted repetitions over 16 stay refused there.
 *
 * | RE2 | translated to |
 * |---|---|
 * | `(?i)`, `(?s)`, `(?U)`, `(?i:re)`, `(?-i)` | case folded per character; `.` takes `\n`; `U` swaps greediness, which a whole-value match ignores |
 * | `(?m)` | refused: `^`/`$` at line ends need a lookbehind, which has no linear-time form |
 * | `[[:alpha:]]`, `[[:^digit:]]` ... (the 14 POSIX classes, ASCII) | their ASCII ranges |
 * | `\pL`, `\p{Lu}`, `\p{Greek}`, `\PN`, `\p{^Greek}` | the code points of that category or script in Node's Unicode data |
 * | `.`, `[^...]`, `\D`, `\S`, `\W` | one code point (outside the BMP too), `.` never `\n` unless `s` |
 * | `\d` `\s` `\w` `\b` | ASCII, as in RE2 (`\s` is `[\t\n\f\r ]`) |
 * | `\A` `\z` `\Q...\E` `\x{10FFFF}` `\a` `\123` `(?P<name>re)` | `^` `$` literals, a code point, a non-capturing group |
 * | lookarounds, backreferences, `\C`, `\Z`, unknown escapes | refused (RE2 refuses them too) |
 */

/**
 * A matcher pattern refused by {@link translateRe2}: its message starts with `invalid regular
 * expression:` for a syntax error, or with `RE2-style syntax is required:` for a construct RE2
 * does not have (or that has no linear-time form), and names the construct.
 */
export class Re2SyntaxError extends SyntaxError {
  /**
   * @param unsupported true: a construct RE2 does not have; false: not a regular expression at all
   * @param detail what is wrong, naming the construct
   */
  constructor(
    readonly unsupported: boolean,
    detail: string,
  ) {
    super(`${unsupported ? 'RE2-style syntax is required' : 'invalid regular expression'}: ${detail}`);
    this.name = 'Re2SyntaxError';
  }
}

const invalid = (detail: string) => new Re2SyntaxError(false, detail);
const unsupported = (detail: string) => new Re2SyntaxError(true, detail);

/** Inclusive code point ranges, sorted and disjoint. */
type CodePointSet = Array<[number, number]>;

const MAX_CODE_POINT = 0x10ffff;
const NEWLINE = 0x0a;

function normalize(set: CodePointSet): CodePointSet {
  const sorted = [...set].sort((a, b) => a[0] - b[0]);
  const out: CodePointSet = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(set: CodePointSet): CodePointSet {
  const out: CodePointSet = [];
  let next = 0;
  for (const [lo, hi] of normalize(set)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function contains(set: CodePointSet, codePoint: number): boolean {
  let low = 0;
  let high = set.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [lo, hi] = set[middle] as [number, number];
    if (codePoint < lo) high = middle - 1;
    else if (codePoint > hi) low = middle + 1;
    else return true;
  }
  return false;
}

// ── Case folding ────────────────────────────────────────────────────────────────────────

/** Case orbits (k, K, K; s, S, ſ; ...): code point → every code point of its orbit. Built on first use. */
let orbits: Map<number, number[]> | undefined;

function caseOrbits(): Map<number, number[]> {
  if (orbits) return orbits;
  // Union of each code point with its single-code-point lower and upper case: the orbits of
  // Unicode's simple case folding, which RE2's (?i) uses. Cased letters all lie below 0x20000.
  const parent = new Map<number, number>();
  const find = (c: number): number => {
    let root = c;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as number;
    parent.set(c, root);
    return root;
  };
  const join = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
  };
  for (let c = 0; c < 0x20000; c += 1) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const text = String.fromCodePoint(c);
    for (const mapped of [text.toLowerCase(), text.toUpperCase()]) {
      const other = mapped.codePointAt(0) as number;
      if (mapped !== text && mapped.length === String.fromCodePoint(other).length) join(c, other);
    }
  }
  const members = new Map<number, number[]>();
  for (const c of parent.keys()) {
    const root = find(c);
    members.set(root, [...(members.get(root) ?? []), c]);
  }
  orbits = new Map();
  for (const orbit of members.values()) if (orbit.length > 1) for (const c of orbit) orbits.set(c, orbit);
  return orbits;
}

function caseFold(set: CodePointSet): CodePointSet {
  const extra: CodePointSet = [];
  for (const [c, orbit] of caseOrbits()) if (contains(set, c)) for (const other of orbit) extra.push([other, other]);
  return normalize([...set, ...extra]);
}

// ── Named classes ───────────────────────────────────────────────────────────────────────

const r = (lo: string, hi = lo): [number, number] => [lo.codePointAt(0) as number, hi.codePointAt(0) as number];

/** RE2's POSIX classes (ASCII only). */
const POSIX_CLASSES: Readonly<Record<string, CodePointSet>> = {
  alnum: [r('0', '9'), r('A', 'Z'), r('a', 'z')],
  alpha: [r('A', 'Z'), r('a', 'z')],
  ascii: [[0, 0x7f]],
  blank: [r('\t'), r(' ')],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [r('0', '9')],
  graph: [r('!', '~')],
  lower: [r('a', 'z')],
  print: [r(' ', '~')],
  punct: [r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')],
  space: [r('\t', '\r'), r(' ')],
  upper: [r('A', 'Z')],
  word: [r('0', '9'), r('A', 'Z'), r('a', 'z'), r('_')],
  xdigit: [r('0', '9'), r('A', 'F'), r('a', 'f')],
};

/** RE2's Perl classes (ASCII only: `\s` has no `\v`, unlike JavaScript's, which is Unicode-wide). */
const PERL_CLASSES: Readonly<Record<string, CodePointSet>> = {
  d: [r('0', '9')],
  s: [r('\t', '\n'), r('\f', '\r'), r(' ')],
  w: [r('0', '9'), r('A', 'Z'), r('a', 'z'), r('_')],
};

const GENERAL_CATEGORIES = new Set([
  'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps',
  'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs', 'Cc', 'Cf', 'Co', 'Cs',
]);

const unicodeClasses = new Map<string, CodePointSet>();

/** Every code point of a JavaScript Unicode property escape, read off runs of matches over all code points. */
function propertySet(property: string): CodePointSet {
  const pattern = new RegExp(`\\p{${property}}+`, 'gu');
  const set: CodePointSet = [];
  // Three spans of consecutive code points (surrogates are not code points of text), so each run is a range.
  for (const [from, to] of [[0, 0xd7ff], [0xe000, 0xffff], [0x10000, MAX_CODE_POINT]] as const) {
    const parts: string[] = [];
    for (let start = from; start <= to; start += 4096) {
      const chunk: number[] = [];
      for (let c = start; c <= Math.min(to, start + 4095); c += 1) chunk.push(c);
      parts.push(String.fromCodePoint(...chunk));
    }
    for (const match of parts.join('').matchAll(pattern)) {
      const text = match[0];
      const first = text.codePointAt(0) as number;
      // A span is all BMP or all surrogate pairs: the last code point starts 1 or 2 units from the end.
      set.push([first, text.codePointAt(text.length - (first > 0xffff ? 2 : 1)) as number]);
    }
  }
  return normalize(set);
}

/** The code points of RE2's `\p{name}`: a general category, `Any`, or a script. */
function unicodeClass(name: string): CodePointSet {
  let set = unicodeClasses.get(name);
  if (set) return set;
  if (!/^[A-Za-z_]+$/.test(name)) throw unsupported(`unknown Unicode class \\p{${name}}`);
  if (name === 'Any') set = [[0, MAX_CODE_POINT]];
  // RE2's C is Cc, Cf, Co and Cs; JavaScript's would add the unassigned code points (Cn).
  else if (name === 'C') set = normalize(['Cc', 'Cf', 'Co', 'Cs'].flatMap((category) => unicodeClass(category)));
  // Surrogates are no code points of text, so the scan below skips them; a label can still hold a lone one.
  else if (name === 'Cs') set = [[0xd800, 0xdfff]];
  else if (GENERAL_CATEGORIES.has(name)) set = propertySet(`gc=${name}`);
  else {
    try {
      set = propertySet(`sc=${name}`);
    } catch {
      throw unsupported(`unknown Unicode class \\p{${name}} (a general category such as L or Lu, Any, or a script such as Greek)`);
    }
  }
  if (unicodeClasses.size >= 64) unicodeClasses.clear();
  unicodeClasses.set(name, set);
  return set;
}

// ── Alphabet ────────────────────────────────────────────────────────────────────────────

const hex4 = (unit: number): string => `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/** The ASCII word characters: `\b` looks at them, so no letter of the alphabet mixes them with others. */
const WORD: CodePointSet = [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')];

/** Letters of the alphabet for classes without an ASCII code point: private use, then CJK, never word characters. */
function spareLetter(index: number): number {
  if (index < 0x1900) return 0xe000 + index;
  if (index < 0x1900 + 0x5200) return 0x4e00 + index - 0x1900;
  throw unsupported('too many distinct characters and classes for one pattern');
}

/**
 * The alphabet of one pattern (what DFA engines call byte classes): code points that every set
 * of the pattern treats alike share one letter, one UTF-16 unit. A label is rewritten into it
 * before matching, so a class of hundreds of Unicode ranges becomes a class of a few letters,
 * and a code point outside the BMP is one letter, as it is one character for RE2.
 */
class Alphabet {
  /** Sorted starts of the elementary intervals; `letters[k]` is the letter of the interval starting at `starts[k]`. */
  private readonly starts: number[];
  private readonly letters: string[];
  /** Per set: the letters of the code points it holds. */
  private readonly setLetters: number[][];

  constructor(sets: readonly CodePointSet[]) {
    const all = [...sets, WORD];
    const bounds = new Set<number>([0]);
    for (const set of all) for (const [lo, hi] of set) bounds.add(lo).add(hi + 1);
    this.starts = [...bounds].filter((bound) => bound <= MAX_CODE_POINT).sort((a, b) => a - b);
    const signatures: number[][] = this.starts.map(() => []);
    all.forEach((set, index) => {
      for (const [lo, hi] of set) for (let k = this.intervalOf(lo); k < this.starts.length && (this.starts[k] as number) <= hi; k += 1) (signatures[k] as number[]).push(index);
    });
    // Intervals alike for every set share a letter: the smallest ASCII code point among them
    // (so `a` stays `a` and a word character stays one), else a spare letter.
    const byKey = new Map<string, number[]>();
    signatures.forEach((signature, k) => byKey.set(signature.join(','), [...(byKey.get(signature.join(',')) ?? []), k]));
    const letterOfInterval: number[] = [];
    let spare = 0;
    for (const intervals of byKey.values()) {
      const first = this.starts[intervals[0] as number] as number;
      const letter = first < 0x80 ? first : spareLetter(spare++);
      for (const k of intervals) letterOfInterval[k] = letter;
    }
    this.letters = letterOfInterval.map((letter) => String.fromCharCode(letter));
    this.setLetters = sets.map((set) => {
      const letters = new Set<number>();
      for (const [lo, hi] of set) for (let k = this.intervalOf(lo); k < this.starts.length && (this.starts[k] as number) <= hi; k += 1) letters.add(letterOfInterval[k] as number);
      return [...letters].sort((a, b) => a - b);
    });
  }

  /** The pattern text matching one letter of set `index`. */
  emit(index: number): string {
    const letters = this.setLetters[index] as number[];
    const one = (letter: number) => (/[A-Za-z0-9_]/.test(String.fromCharCode(letter)) ? String.fromCharCode(letter) : hex4(letter));
    if (letters.length === 1) return one(letters[0] as number);
    const ranges: Array<[number, number]> = [];
    for (const letter of letters) {
      const last = ranges[ranges.length - 1];
      if (last && letter === last[1] + 1) last[1] = letter;
      else ranges.push([letter, letter]);
    }
    return `[${ranges.map(([lo, hi]) => (lo === hi ? hex4(lo) : `${hex4(lo)}-${hex4(hi)}`)).join('')}]`;
  }

  /** A label rewritten into the alphabet: one letter per code point (a lone surrogate counts as one). */
  rewrite(label: string): string {
    let out = '';
    for (const char of label) out += this.letters[this.intervalOf(char.codePointAt(0) as number)] as string;
    return out;
  }

  private intervalOf(codePoint: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] as number) <= codePoint) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

// ── Parsing ─────────────────────────────────────────────────────────────────────────────

interface Flags {
  /** Case-insensitive. */
  i: boolean;
  /** `.` matches `\n`. */
  s: boolean;
}

const ESCAPED_CODE_POINTS: Readonly<Record<string, number>> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

/** Translates RE2 syntax into an equivalent pattern for V8's linear engine (see the module comment). */
class Translator {
  private readonly chars: string[];
  private at = 0;
  private depth = 0;
  /** Every set the pattern matches a character against, in the order met; placeholders refer to them. */
  private readonly sets: CodePointSet[] = [];

  constructor(pattern: string) {
    this.chars = [...pattern];
  }

  translate(): Re2Translation {
    const out = this.alternation({ i: false, s: false });
    if (this.at < this.chars.length) throw invalid(`unexpected ) at position ${this.at + 1}`);
    const alphabet = new Alphabet(this.sets);
    return { source: out.replace(/\uFDD0(\d+)\uFDD1/g, (_match, index: string) => alphabet.emit(Number(index))), rewrite: (label) => alphabet.rewrite(label) };
  }

  /** A placeholder for one character of `set`, resolved once the alphabet is known. */
  private set(set: CodePointSet): string {
    this.sets.push(normalize(set));
    return `\uFDD0${this.sets.length - 1}\uFDD1`;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.at + offset];
  }

  private next(): string {
    const char = this.chars[this.at];
    if (char === undefined) throw invalid('the pattern ends too early (a trailing \\, or an unclosed group or class)');
    this.at += 1;
    return char;
  }

  /** Alternatives up to the end or the `)` closing the current group; `(?flags)` changes `flags` until then. */
  private alternation(outer: Flags): string {
    const flags = { ...outer };
    const branches: string[] = [''];
    while (this.at < this.chars.length) {
      const char = this.peek() as string;
      if (char === ')') {
        if (this.depth === 0) throw invalid(`unexpected ) at position ${this.at + 1}`);
        break;
      }
      if (char === '|') {
        this.at += 1;
        branches.push('');
        continue;
      }
      const atom = this.atom(flags);
      if (atom === undefined) continue;
      branches[branches.length - 1] += atom + this.quantifier();
    }
    return branches.join('|');
  }

  /** One atom, or `undefined` for a `(?flags)` that only changed `flags`. */
  private atom(flags: Flags): string | undefined {
    const char = this.next();
    switch (char) {
      case '(':
        return this.group(flags);
      case '[':
        return this.set(this.bracketClass(flags));
      case '.':
        return this.set(flags.s ? [[0, MAX_CODE_POINT]] : complement([[NEWLINE, NEWLINE]]));
      case '^':
      case '$':
        return char;
      case '\\':
        return this.escape(flags);
      case '*':
      case '+':
      case '?':
        throw invalid(`missing argument to repetition operator ${char}`);
      default:
        return this.literal(char.codePointAt(0) as number, flags);
    }
  }

  private literal(codePoint: number, flags: Flags): string {
    return this.set(flags.i ? caseFold([[codePoint, codePoint]]) : [[codePoint, codePoint]]);
  }

  private quantifier(): string {
    const char = this.peek();
    let text: string;
    if (char === '*' || char === '+' || char === '?') {
      this.at += 1;
      text = char;
    } else if (char === '{') {
      const rest = this.chars.slice(this.at).join('');
      const counted = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      // Not a repetition: RE2 takes the brace literally, and the atom loop will.
      if (!counted) return '';
      const min = Number(counted[1]);
      const max = counted[3] ? Number(counted[3]) : counted[2] ? Infinity : min;
      if (max < min || min > 1000 || (max !== Infinity && max > 1000)) throw invalid(`invalid repeat count ${counted[0]}`);
      this.at += [...counted[0]].length;
      text = counted[0];
    } else {
      return '';
    }
    if (this.peek() === '?') {
      this.at += 1;
      text += '?';
    }
    const after = this.peek();
    if (after === '*' || after === '+' || after === '?' || (after === '{' && /^\{\d+(,\d*)?\}/.test(this.chars.slice(this.at).join('')))) {
      throw invalid(`bad repetition operator ${text}${after}`);
    }
    return text;
  }

  private group(flags: Flags): string | undefined {
    if (this.peek() !== '?') return this.groupBody(flags, '(');
    this.at += 1;
    const kind = this.peek();
    if (kind === '=' || kind === '!') throw unsupported(`lookahead (?${kind} is not supported (RE2 has none, and it cannot run in linear time)`);
    if (kind === '<' && (this.peek(1) === '=' || this.peek(1) === '!')) {
      throw unsupported(`lookbehind (?<${this.peek(1) as string} is not supported (RE2 has none, and it cannot run in linear time)`);
    }
    if (kind === 'P' || kind === '<') {
      if (kind === 'P') this.at += 1;
      if (this.next() !== '<') throw invalid('invalid named group: expected (?P<name>re)');
      let name = '';
      while (this.peek() !== '>') name += this.next();
      this.at += 1;
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw invalid(`invalid group name <${name}>`);
      return this.groupBody(flags);
    }
    // Flags: (?flags) for the rest of the group, (?flags:re) for re.
    const changed = { ...flags };
    let negated = false;
    let any = false;
    for (;;) {
      const char = this.next();
      if (char === ')' || char === ':') {
        if (!any && char === ')') throw invalid('missing flags in (?)');
        if (negated && !any) throw invalid('missing flags after - in (?-)');
        if (char === ':') return this.groupBody(changed);
        Object.assign(flags, changed);
        return undefined;
      }
      if (char === '-') {
        if (negated) throw invalid('two - in a flag group');
        negated = true;
        any = false;
        continue;
      }
      any = true;
      if (char === 'i' || char === 's') changed[char] = !negated;
      else if (char === 'U') continue; // greediness: a whole-value match does not depend on it
      else if (char === 'm') throw unsupported('the m flag (multi-line ^ and $) is not supported: it needs a lookbehind, which cannot run in linear time');
      else throw unsupported(`unknown flag ${char} in a (?flags) group (RE2 has i, m, s and U)`);
    }
  }

  /** A group's alternatives and its `)`; `open` is how it opens in the translation. */
  private groupBody(flags: Flags, open = '(?:'): string {
    this.depth += 1;
    const inner = this.alternation(flags);
    this.depth -= 1;
    if (this.peek() !== ')') throw invalid('missing )');
    this.at += 1;
    return `${open}${inner})`;
  }

  /** An escape outside a class. */
  private escape(flags: Flags): string {
    const char = this.next();
    if (char === 'b' || char === 'B') return `\\${char}`;
    if (char === 'A') return '^';
    if (char === 'z') return '$';
    if (char === 'Q') {
      let out = '';
      while (this.at < this.chars.length && !(this.peek() === '\\' && this.peek(1) === 'E')) out += this.literal(this.next().codePointAt(0) as number, flags);
      if (this.at < this.chars.length) this.at += 2;
      return out === '' ? '(?:)' : `(?:${out})`;
    }
    const set = this.escapeSet(char, flags);
    if (set) return this.set(set);
    return this.literal(this.escapedCodePoint(char), flags);
  }

  /** The set of a class escape (`\d`, `\pL`...), or `undefined` when `char` starts no class escape. */
  private escapeSet(char: string, flags: Flags): CodePointSet | undefined {
    const perl = PERL_CLASSES[char.toLowerCase()];
    if (perl && 'dswDSW'.includes(char)) {
      const base = flags.i ? caseFold(perl) : perl;
      return char === char.toLowerCase() ? base : complement(base);
    }
    if (char === 'p' || char === 'P') {
      let name = this.next();
      if (name === '{') {
        name = '';
        while (this.peek() !== '}') name += this.next();
        this.at += 1;
      }
      let negated = char === 'P';
      if (name.startsWith('^')) {
        negated = !negated;
        name = name.slice(1);
      }
      const base = flags.i ? caseFold(unicodeClass(name)) : unicodeClass(name);
      return negated ? complement(base) : base;
    }
    return undefined;
  }

  /** The code point an escape stands for (`\n`, `\x{263a}`, `\123`, `\.`). */
  private escapedCodePoint(char: string): number {
    if (char in ESCAPED_CODE_POINTS) return ESCAPED_CODE_POINTS[char] as number;
    if (char === 'x') {
      let digits: string;
      if (this.peek() === '{') {
        this.at += 1;
        digits = '';
        while (this.peek() !== '}') digits += this.next();
        this.at += 1;
      } else {
        digits = this.next() + this.next();
      }
      const value = /^[0-9A-Fa-f]{1,8}$/.test(digits) ? parseInt(digits, 16) : NaN;
      if (!(value <= MAX_CODE_POINT)) throw invalid(`invalid escape \\x${digits}`);
      return value;
    }
    if (/[0-7]/.test(char) && (char === '0' || /[0-7]/.test(this.peek() ?? ''))) {
      let digits = char;
      while (digits.length < 3 && /[0-7]/.test(this.peek() ?? '')) digits += this.next();
      return parseInt(digits, 8);
    }
    if (char === 'k') throw unsupported('backreference \\k<name> is not supported (RE2 has none, and it cannot run in linear time)');
    if (/[1-9]/.test(char)) throw unsupported(`backreference \\${char} is not supported (RE2 has none, and it cannot run in linear time)`);
    if (char === 'C') throw unsupported('\\C (any byte) is not supported');
    // Punctuation may always be escaped; an escaped letter or digit must mean something.
    if (/[\p{L}\p{N}_]/u.test(char)) throw unsupported(`unknown escape \\${char}`);
    return char.codePointAt(0) as number;
  }

  /** A bracket class, after its `[`: the set it matches, case-folded and negated as written. */
  private bracketClass(flags: Flags): CodePointSet {
    let negated = false;
    if (this.peek() === '^') {
      this.at += 1;
      negated = true;
    }
    const set: CodePointSet = [];
    let first = true;
    for (;;) {
      const char = this.next();
      if (char === ']' && !first) break;
      first = false;
      if (char === '[' && this.peek() === ':') {
        const rest = this.chars.slice(this.at).join('');
        const posix = /^:(\^?)([a-z]+):\]/.exec(rest);
        if (posix) {
          const base = POSIX_CLASSES[posix[2] as string];
          if (!base) throw unsupported(`unknown POSIX class [:${posix[1] as string}${posix[2] as string}:]`);
          set.push(...(posix[1] ? complement(base) : base));
          this.at += [...posix[0]].length;
          continue;
        }
      }
      let low: number;
      if (char === '\\') {
        const escaped = this.next();
        const escapedSet = this.escapeSet(escaped, { ...flags, i: false });
        if (escapedSet) {
          set.push(...escapedSet);
          continue;
        }
        low = this.escapedCodePoint(escaped);
      } else {
        low = char.codePointAt(0) as number;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.at += 1;
        let highChar = this.next();
        const high = highChar === '\\' ? this.escapedCodePoint((highChar = this.next())) : (highChar.codePointAt(0) as number);
        if (high < low) throw invalid(`invalid character class range ${String.fromCodePoint(low)}-${String.fromCodePoint(high)}`);
        set.push([low, high]);
      } else {
        set.push([low, low]);
      }
    }
    const folded = flags.i ? caseFold(normalize(set)) : normalize(set);
    return negated ? complement(folded) : folded;
  }
}

/** An RE2 pattern translated for V8's linear-time engine. */
export interface Re2Translation {
  /** The pattern over the alphabet of the translation: compile it with the `l` flag alone. */
  source: string;
  /** A label rewritten into that alphabet (one UTF-16 unit per code point): what `source` is matched against. */
  rewrite(label: string): string;
}

/**
 * Translates an RE2 pattern into a V8 pattern with the same matches, which the linear-time
 * engine compiles without flags, over an alphabet that labels are rewritten into (see the
 * module comment for what is supported and how).
 * @throws Re2SyntaxError naming what is not RE2 syntax or not supported
 */
export function translateRe2(pattern: string): Re2Translation {
  return new Translator(pattern).translate();
}
