/** One sample line: `name{labels} value`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its TYPE, HELP and samples. */
export interface PromFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: PromSample[];
}

/** A line that breaks the Prometheus text format (version 0.0.4). */
export class PrometheusFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'PrometheusFormatError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** A sample value as Prometheus reads it (Go's ParseFloat: NaN and Inf in any case, as prom-client writes `Nan`). */
function parseValue(text: string, line: number): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new PrometheusFormatError(line, `"${text}" is not a sample value`);
  return Number(text);
}

/** Parses `{a="x",b="y"}` starting at `text[0] === '{'`; returns the labels and the rest of the line. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new PrometheusFormatError(line, 'label without "="');
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new PrometheusFormatError(line, `bad label name "${name}"`);
    if (name in labels) throw new PrometheusFormatError(line, `label "${name}" twice`);
    if (text[eq + 1] !== '"') throw new PrometheusFormatError(line, `label "${name}" value is not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new PrometheusFormatError(line, `bad escape "\\${next}" in label "${name}"`);
      } else if (text[j] === '\n') {
        throw new PrometheusFormatError(line, 'raw newline in a label value');
      } else {
        value += text[j];
      }
    }
    if (j >= text.length) throw new PrometheusFormatError(line, `unterminated value of label "${name}"`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new PrometheusFormatError(line, `expected "," or "}" after label "${name}"`);
  }
}

/** The family a sample name belongs to, given the declared types (histogram and summary suffixes). */
function familyOf(name: string, families: Map<string, PromFamily>): PromFamily | undefined {
  const direct = families.get(name);
  if (direct) return direct;
  const match = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!match) return undefined;
  const base = families.get(match[1]);
  if (!base) return undefined;
  if (base.type === 'histogram' || (base.type === 'summary' && match[2] !== 'bucket')) return base;
  return undefined;
}

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line is a
 * `# HELP`, a `# TYPE`, another comment, blank, or `name{labels} value [timestamp]`; names and
 * labels are valid; each family has one HELP and one TYPE, declared before its samples, and its
 * samples are contiguous; no series appears twice; histogram buckets carry `le`.
 *
 * @throws PrometheusFormatError naming the first offending line
 */
export function parsePrometheusText(text: string): PromFamily[] {
  const families = new Map<string, PromFamily>();
  const helped = new Set<string>();
  const typed = new Set<string>();
  const closed = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '') throw new PrometheusFormatError(lines.length, 'the text must end with a newline');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(raw);
      if (!match) return;
      const [, kind, name, rest = ''] = match;
      if (!METRIC_NAME.test(name)) throw new PrometheusFormatError(line, `bad metric name "${name}"`);
      if (closed.has(name)) throw new PrometheusFormatError(line, `${kind} of ${name} after its samples ended`);
      if (kind === 'HELP') {
        if (helped.has(name)) throw new PrometheusFormatError(line, `second HELP for ${name}`);
        helped.add(name);
        const family = families.get(name);
        if (family) family.help = rest;
        else families.set(name, { name, type: 'untyped', help: rest, samples: [] });
      } else {
        if (!TYPES.has(rest)) throw new PrometheusFormatError(line, `unknown type "${rest}"`);
        const family = families.get(name);
        if (typed.has(name) || (family && family.samples.length > 0)) throw new PrometheusFormatError(line, `TYPE of ${name} declared twice or after its samples`);
        typed.add(name);
        if (family) family.type = rest as PromFamily['type'];
        else families.set(name, { name, type: rest as PromFamily['type'], help: '', samples: [] });
      }
      if (current && current !== name) closed.add(current);
      current = name;
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
    if (!nameMatch) throw new PrometheusFormatError(line, `not a sample: "${raw.slice(0, 80)}"`);
    const name = nameMatch[0];
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new PrometheusFormatError(line, 'expected " value [timestamp]" after the name and labels');
    const value = parseValue(parts[0], line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new PrometheusFormatError(line, `bad timestamp "${parts[1]}"`);
    const family = familyOf(name, families);
    if (!family || !typed.has(family.name)) throw new PrometheusFormatError(line, `sample ${name} has no TYPE declared before it`);
    if (closed.has(family.name) || (current !== undefined && current !== family.name)) throw new PrometheusFormatError(line, `samples of ${family.name} are not contiguous`);
    current = family.name;
    if (family.type === 'histogram' && name.endsWith('_bucket') && labels['le'] === undefined) throw new PrometheusFormatError(line, `${name} without "le"`);
    if (family.type === 'counter' && value < 0) throw new PrometheusFormatError(line, `counter ${name} is negative`);
    const id = `${name}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))}`;
    if (series.has(id)) throw new PrometheusFormatError(line, `series ${name}${JSON.stringify(labels)} appears twice`);
    series.add(id);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) {
    if (!helped.has(family.name)) throw new PrometheusFormatError(0, `${family.name} has no HELP`);
  }
  return [...families.values()];
}

/** The samples named `name` whose labels include `labels`. */
export function findSamples(families: readonly PromFamily[], name: string, labels: Record<string, string> = {}): PromSample[] {
  return families
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v));
}

/** The value of the one sample named `name` with `labels`, or undefined when there is none; throws when several match. */
export function sampleValue(families: readonly PromFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = findSamples(families, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
