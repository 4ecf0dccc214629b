import { describe, expect, it } from 'vitest';
import { dashboardQueries, exportedNames, metricNames, withVariables } from './promql.ts';

describe('metricNames', () => {
  it('finds the selected series, not functions, aggregations, labels or keywords', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (job, instance, le) (rate(atom_saas_sync_duration_seconds_bucket[1h]))) > 60'))
      .toEqual(['atom_saas_sync_duration_seconds_bucket']);
    expect(metricNames('sum(rate(a_total{type="skill", error=~"auth|rate_limited"}[5m])) by (type) / on (job) group_left(instance) b unless c offset 5m'))
      .toEqual(['a_total', 'b', 'c']);
    expect(metricNames('(time() - atom_saas_sync_last_success_timestamp_seconds) > 30 * 60\nunless on (job, instance) atom_actor_state{actor="agent", state="localOnly"} == 1'))
      .toEqual(['atom_actor_state', 'atom_saas_sync_last_success_timestamp_seconds']);
  });

  it('ignores strings, label_replace arguments, numbers and comments', () => {
    expect(metricNames('label_replace(up{job="x"}, "dst", "$1 {not} by (this)", "src", "(.*)") * 1e-9 + 0x1f # cache_size\n'))
      .toEqual(['up']);
    expect(metricNames('sum without (instance) (x:recorded:rate5m) AND BOOL y')).toEqual(['x:recorded:rate5m', 'y']);
    expect(metricNames('{__name__="atom_saas_cache_size", type="skills"}')).toEqual(['atom_saas_cache_size']);
  });

  it('reads Grafana queries: $variables and ${datasource} are not metrics', () => {
    expect(metricNames('sum(increase(atom_saas_sync_success_total{job=~"$job", instance=~"${instance:regex}"}[$__range])) * $__range_s / [[interval]]'))
      .toEqual(['atom_saas_sync_success_total']);
  });

  it('refuses a __name__ regex it cannot check by name', () => {
    expect(() => metricNames('{__name__=~"atom_.*"}')).toThrow(/__name__/);
  });
});

describe('exportedNames', () => {
  it('offers histogram series names and every sample name', () => {
    const names = exportedNames([
      '# HELP d Sync duration', '# TYPE d histogram', 'd_bucket{le="1"} 0', 'd_sum 0', 'd_count 0',
      '# TYPE c counter', '# TYPE g gauge', 'g{type="skills"} 3', '',
    ].join('\n'));
    expect([...names].sort()).toEqual(['c', 'd', 'd_bucket', 'd_count', 'd_sum', 'g']);
    expect(names.has('c_bucket')).toBe(false);
  });
});

describe('dashboardQueries', () => {
  it('collects targets, nested row panels and query variables', () => {
    const queries = dashboardQueries({
      panels: [
        { title: 'A', type: 'stat', targets: [{ expr: 'x' }] },
        { title: 'Row', type: 'row', panels: [{ title: 'B', type: 'gauge', targets: [{ expr: 'y' }, {}] }] },
      ],
      templating: { list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus' },
        { name: 'job', type: 'query', query: { query: 'label_values(z{a="b, c"}, job)' } },
        { name: 'le', type: 'query', query: 'label_values(le)' },
      ] },
    });
    expect(queries).toEqual([{ where: 'A', expr: 'x' }, { where: 'B', expr: 'y' }, { where: 'variable job', expr: 'z{a="b, c"}' }]);
  });

  it('substitutes the variables Prometheus cannot read', () => {
    expect(withVariables('rate(x{job=~"$job", instance=~"$instance"}[$__rate_interval]) * $__range_s + y[$__range]', { job: 'j', instance: '.*' }))
      .toBe('rate(x{job=~"j", instance=~".*"}[1m]) * 3600 + y[1h]');
  });
});
