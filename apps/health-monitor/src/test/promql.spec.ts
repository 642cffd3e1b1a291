import { inspectPromql } from './promql';

describe('inspectPromql', () => {
  it('accepts valid expressions and lists the metric names they read', () => {
    const report = inspectPromql('max by (node) (redis_memory_used_bytes{node=~"$node"} / (redis_memory_max_bytes > 0)) > 0.9');
    expect(report.problems).toEqual([]);
    expect(report.metricNames).toEqual(['redis_memory_used_bytes', 'redis_memory_max_bytes']);
    expect(inspectPromql('histogram_quantile(0.95, sum by (le) (rate(rebal_health_check_duration_seconds_bucket[$__rate_interval])))')).toMatchObject({
      problems: [],
      metricNames: ['rebal_health_check_duration_seconds_bucket'],
    });
    expect(inspectPromql('time() - max(rebal_health_last_check_timestamp_seconds) > 120').metricNames).toEqual(['rebal_health_last_check_timestamp_seconds']);
    expect(inspectPromql('absent(up{job="x"}) or max_over_time(rebal_health_leader[10m:1m]) == 0').problems).toEqual([]);
  });

  it.each([
    ['an unclosed parenthesis', 'max(rebal_health_status{scope="system"} == 2', /syntax error/],
    ['an unclosed label matcher', 'redis_up{node="a" == 0', /syntax error/],
    ['a missing operand', 'max(redis_up) >', /syntax error/],
    ['two operands without an operator', 'max(redis_up) redis_up', /syntax error/],
    ['a bad range', 'rate(redis_commands_processed_total[5 minutes])', /syntax error/],
    ['a misspelt aggregation modifier', 'max bi (node) (redis_up)', /syntax error/],
    ['a Grafana variable outside a string', 'max by (node) (redis_up{node=~$node})', /syntax error/],
    ['a rate without a range', 'rate(redis_commands_processed_total)', /Rate needs a range vector/],
    ['an _over_time without a range', 'max_over_time(redis_up)', /MaxOverTime needs a range vector/],
    ['an empty expression', '  ', /empty expression/],
  ])('reports %s', (_what, expression, problem) => {
    expect(inspectPromql(expression).problems.map((p) => p.message)).toContainEqual(expect.stringMatching(problem));
  });

  it('accepts a range vector in parentheses or as a later argument', () => {
    expect(inspectPromql('rate((redis_up[5m]))').problems).toEqual([]);
    expect(inspectPromql('quantile_over_time(0.9, redis_up[5m])').problems).toEqual([]);
  });

  it('names a selector without a metric name by its text', () => {
    expect(inspectPromql('count({__name__=~"redis_.*"})').metricNames).toEqual(['{__name__=~"redis_.*"}']);
  });
});
