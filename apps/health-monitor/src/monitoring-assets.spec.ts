// The Grafana dashboard and Prometheus rules in k8s/monitoring: every PromQL expression parses
// (lezer-promql, the grammar of Prometheus' UI), only reads metrics this monitor exports, and the
// rules are a valid PrometheusRule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { silentLogger } from '@rebal/redis-client';
import { Histogram, Registry, Summary } from 'prom-client';
import { parse } from 'yaml';
import { parseHealthMonitorConfig } from './config';
import { createHealthMonitor } from './health-monitor';
import { inspectPromql } from './test/promql';

const DIR = join(__dirname, '../../../k8s/monitoring');

/**
 * Metrics the rules and panels may read besides the monitor's own: ones Prometheus or
 * kube-state-metrics always provide. Add a name here only when an expression needs it.
 */
const WELL_KNOWN_METRICS = new Set(['up']);

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string; refId: string }>;
  /** The panels of a collapsed row. */
  panels?: Panel[];
}

interface Variable {
  name: string;
  type: string;
  query?: string | { query: string };
}

/** One PromQL expression and where it comes from, for the failure message. */
interface Query {
  where: string;
  expr: string;
}

/** Every panel, those inside collapsed rows included. */
function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

/** The metric of a query variable `label_values(<metric>, <label>)` (Grafana syntax, not PromQL). */
function variableMetric(variable: Variable): Query | undefined {
  const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
  const match = /^label_values\((.+),\s*[A-Za-z_][A-Za-z0-9_]*\)$/.exec(query ?? '');
  return match?.[1] ? { where: `variable $${variable.name}`, expr: match[1] } : undefined;
}

async function exportedNames(): Promise<Set<string>> {
  const registry = new Registry();
  const monitor = createHealthMonitor(parseHealthMonitorConfig({ PORT: '0' }), { registry, logger: silentLogger() });
  try {
    const names = new Set<string>();
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      const single = registry.getSingleMetric(metric.name);
      if (single instanceof Histogram) for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
      if (single instanceof Summary) for (const suffix of ['_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
    return names;
  } finally {
    await monitor.close();
  }
}

describe('k8s/monitoring', () => {
  const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as { uid: string; panels: Panel[]; templating?: { list: Variable[] } };
  const rules = parse(readFileSync(join(DIR, 'prometheus-rules.yaml'), 'utf8')) as {
    spec: { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; labels: { severity: string } }> }> };
  };
  const ruleList = rules.spec.groups.flatMap((group) => group.rules);
  const panels = allPanels(dashboard.panels);
  const queries: Query[] = [
    ...rules.spec.groups.flatMap((group) => group.rules.map((rule) => ({ where: `rule ${group.name}/${rule.alert}`, expr: String(rule.expr) }))),
    ...panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel ${panel.id} "${panel.title}" target ${target.refId}`, expr: String(target.expr) }))),
  ];

  it('has a PrometheusRule that validates against the Prometheus Operator schema', () => {
    expect(() => new PrometheusRule(rules as never).validate()).not.toThrow();
    expect(ruleList.length).toBeGreaterThan(10);
    for (const rule of ruleList) expect(['critical', 'warning']).toContain(rule.labels.severity);
    expect(new Set(ruleList.map((rule) => rule.alert)).size).toBe(ruleList.length);
  });

  it('alerts on the critical conditions', () => {
    const alerts = ruleList.map((rule) => rule.alert);
    expect(alerts).toEqual(expect.arrayContaining(['RebalSystemDown', 'RebalServiceDown', 'RedisDown', 'RedisClusterStateFail', 'RedisMemoryHigh', 'RedisEvictingKeys', 'StreamGroupLagHigh', 'RebalHealthMonitorMissing']));
  });

  it('has PromQL that parses in every alert rule and every dashboard panel', () => {
    expect(queries.filter((query) => query.where.startsWith('rule ')).length).toBe(ruleList.length);
    expect(queries.filter((query) => query.where.startsWith('panel ')).length).toBeGreaterThan(30);
    const problems = queries.flatMap((query) => inspectPromql(query.expr).problems.map((problem) => `${query.where}: ${problem.message}`));
    expect(problems).toEqual([]);
  });

  it('only reads metrics the monitor exports, or well-known ones, in rules, panels and variables', async () => {
    const exported = await exportedNames();
    const variables = (dashboard.templating?.list ?? []).filter((variable) => variable.type === 'query').map(variableMetric);
    expect(variables).not.toContain(undefined);
    const unknown: string[] = [];
    let used = 0;
    for (const query of [...queries, ...variables.filter((query): query is Query => query !== undefined)]) {
      for (const name of inspectPromql(query.expr).metricNames) {
        used++;
        if (!exported.has(name) && !WELL_KNOWN_METRICS.has(name)) unknown.push(`${query.where}: ${name}`);
      }
    }
    expect(used).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });

  it('has a dashboard with unique panel ids, query ids per panel, and panels inside the 24-column grid', () => {
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      const refs = (panel.targets ?? []).map((target) => target.refId);
      expect(new Set(refs).size).toBe(refs.length);
    }
  });
});
