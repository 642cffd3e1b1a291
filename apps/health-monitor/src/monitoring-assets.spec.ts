// The Grafana dashboard and Prometheus rules in k8s/monitoring only use metrics this monitor
// exports, and the rules are a valid PrometheusRule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { silentLogger } from '@rebal/redis-client';
import { Histogram, Registry } from 'prom-client';
import { parse } from 'yaml';
import { parseHealthMonitorConfig } from './config';
import { createHealthMonitor } from './health-monitor';

const DIR = join(__dirname, '../../../k8s/monitoring');

interface Panel {
  id: number;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string; refId: string }>;
}

/** Metric names in a PromQL expression (ours and redis_exporter's namespaces), label names left out. */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...withoutLabels.matchAll(/\b((?:redis|rebal)_[a-z0-9_]+)/g)].map((m) => m[1]);
}

async function exportedNames(): Promise<Set<string>> {
  const registry = new Registry();
  const monitor = createHealthMonitor(parseHealthMonitorConfig({ PORT: '0' }), { registry, logger: silentLogger() });
  try {
    const names = new Set<string>();
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (registry.getSingleMetric(metric.name) instanceof Histogram) for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
    return names;
  } finally {
    await monitor.close();
  }
}

describe('k8s/monitoring', () => {
  const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as { uid: string; panels: Panel[] };
  const rules = parse(readFileSync(join(DIR, 'prometheus-rules.yaml'), 'utf8')) as {
    spec: { groups: Array<{ rules: Array<{ alert: string; expr: string; labels: { severity: string } }> }> };
  };
  const ruleList = rules.spec.groups.flatMap((group) => group.rules);

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

  it('only uses metrics the monitor exports', async () => {
    const exported = await exportedNames();
    const used = [...ruleList.map((rule) => rule.expr), ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr))].flatMap(metricNames);
    expect(used.length).toBeGreaterThan(30);
    expect([...new Set(used)].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('has a dashboard with unique panel ids, query ids per panel, and panels inside the 24-column grid', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      const refs = (panel.targets ?? []).map((target) => target.refId);
      expect(new Set(refs).size).toBe(refs.length);
    }
  });
});
