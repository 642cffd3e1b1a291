import { parser } from '@prometheus-io/lezer-promql';

/** A node of the parse tree (`@lezer/common`'s SyntaxNode, named here without importing that package). */
type SyntaxNode = NonNullable<ReturnType<ReturnType<typeof parser.parse>['topNode']['getChild']>>;

/** One problem Prometheus' own parser would reject the expression for. */
export interface PromqlProblem {
  /** Offset of the problem in the expression (after Grafana variables were replaced). */
  at: number;
  /** What is wrong, with the text around it. */
  message: string;
}

/** What {@link inspectPromql} found in one expression. */
export interface PromqlReport {
  /** The expression as parsed: Grafana's interval variables replaced by a duration. */
  parsed: string;
  /** Syntax errors and range-vector arguments missing; empty when the expression is valid. */
  problems: PromqlProblem[];
  /**
   * Every metric name a vector selector reads, in order of appearance; a selector without a
   * name (`{__name__=~"redis_.*"}`) appears as its whole text.
   */
  metricNames: string[];
}

/**
 * Grafana's built-in interval variables (`$__rate_interval`, `${__interval}`, `$__range`, ...),
 * replaced by a duration before parsing, as Grafana does before it sends the query. Any other
 * `$variable` outside a string is left in place and fails to parse.
 */
const GRAFANA_INTERVALS = /\$\{?__(?:rate_interval|interval|range)(?:_ms|_s)?\}?/g;

/**
 * Functions whose argument must be a range vector (`x[5m]` or a subquery): lezer-promql accepts
 * any expression there, Prometheus does not.
 */
const RANGE_FUNCTIONS = new Set(['Rate', 'Irate', 'Increase', 'Delta', 'Idelta', 'Deriv', 'PredictLinear', 'Changes', 'Resets', 'DoubleExponentialSmoothing']);

function needsRange(functionName: string): boolean {
  return RANGE_FUNCTIONS.has(functionName) || functionName.endsWith('OverTime');
}

/** Whether `node` is a range vector: `x[5m]`, a subquery, or either in parentheses. */
function isRange(node: SyntaxNode | null): boolean {
  if (!node) return false;
  if (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr') return true;
  return node.name === 'ParenExpr' && isRange(node.firstChild);
}

function around(text: string, from: number, to: number): string {
  return `${text.slice(Math.max(0, from - 20), from)}>>>${text.slice(from, Math.max(to, from + 1))}<<<${text.slice(to, to + 20)}`;
}

/**
 * Parses a PromQL expression with `@prometheus-io/lezer-promql` (the grammar of Prometheus'
 * own web UI) and reports its syntax errors and the metric names it reads. The grammar checks
 * syntax only; on top of it this checks one rule of the type checker that is easy to break:
 * functions such as `rate` and `*_over_time` get a range vector.
 */
export function inspectPromql(expression: string): PromqlReport {
  const text = expression.replace(GRAFANA_INTERVALS, '5m');
  const problems: PromqlProblem[] = [];
  const metricNames: string[] = [];
  if (text.trim() === '') problems.push({ at: 0, message: 'empty expression' });
  parser.parse(text).iterate({
    enter(ref) {
      if (ref.type.isError) {
        problems.push({ at: ref.from, message: `syntax error at ${ref.from}: ${around(text, ref.from, ref.to)}` });
        return;
      }
      const node = ref.node;
      if (ref.name === 'VectorSelector') {
        const identifier = node.getChild('Identifier');
        // A selector by labels only (`{__name__=~"..."}`) is kept whole: no metric has that name.
        metricNames.push(identifier ? text.slice(identifier.from, identifier.to) : text.slice(ref.from, ref.to));
      }
      if (ref.name === 'FunctionCall') {
        const name = node.getChild('FunctionIdentifier')?.firstChild?.name ?? '';
        const args: SyntaxNode[] = [];
        for (let arg = node.getChild('FunctionCallBody')?.firstChild ?? null; arg; arg = arg.nextSibling) args.push(arg);
        if (needsRange(name) && !args.some(isRange)) {
          problems.push({ at: ref.from, message: `${text.slice(ref.from, ref.to)}: ${name} needs a range vector argument (x[5m] or a subquery)` });
        }
      }
    },
  });
  return { parsed: text, problems, metricNames };
}
