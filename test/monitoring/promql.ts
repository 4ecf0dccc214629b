import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// What the monitoring tests share: the files under monitoring/, the metric names a PromQL expression
// reads, the names an exposition text offers, and the queries a Grafana dashboard runs.

export const MONITORING = fileURLToPath(new URL('../../monitoring/', import.meta.url));
export const ALERTS_DIR = `${MONITORING}alerts/`;
export const ALERT_RULES = `${ALERTS_DIR}prometheus-alerts.yml`;
export const DASHBOARD = `${MONITORING}grafana/sync-dashboard.json`;

/** Keywords and literals that look like identifiers but name no series (PromQL is case-insensitive here). */
const NOT_METRICS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'atan2', 'inf', 'nan']);

/**
 * The metric names a PromQL expression (or a Grafana query with its $variables) selects, sorted.
 * Strings, label matchers, ranges and `by (...)`-style label lists are removed first, so label names
 * and values never count; an identifier followed by `(` is a function or an aggregation.
 */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  let s = expr;
  // {__name__="x"} selects x; a regex on __name__ cannot be checked by name.
  for (const m of s.matchAll(/__name__\s*(=~|!=|!~|=)\s*"([^"]*)"/g)) {
    if (m[1] !== '=') throw new Error(`cannot check a __name__ matcher other than =: ${expr}`);
    names.add(m[2]!);
  }
  s = s
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // strings (matcher values, label_replace args)
    .replace(/#[^\n]*/g, ' ') // comments
    .replace(/\$\{[^}]*\}|\$\w+|\[\[\w+\]\]/g, ' 0 ') // Grafana variables: $__range, ${datasource}, [[job]]
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' '); // label lists
  for (const m of s.matchAll(/([a-zA-Z_:][\w:]*)|\d[\w.]*/g)) {
    const word = m[1];
    if (word === undefined) continue; // a number or a duration
    if (NOT_METRICS.has(word.toLowerCase())) continue;
    if (/^\s*\(/.test(s.slice(m.index + word.length))) continue; // a function or an aggregation
    names.add(word);
  }
  return [...names].sort();
}

/**
 * Every name an exposition text offers: each family of `# TYPE` (with _bucket, _sum and _count for a
 * histogram, _sum and _count for a summary) and each sample's name.
 */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      names.add(name);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)[\s{]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}

export interface DashboardQuery {
  /** Where it is: the panel title, or `variable <name>`. */
  where: string;
  expr: string;
}

interface Panel { title?: string; type?: string; targets?: { expr?: string }[]; panels?: Panel[] }
interface Variable { name: string; type: string; query?: string | { query?: string } }
export interface Dashboard { panels: Panel[]; templating: { list: Variable[] } }

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
}

/** Panels in order, the ones inside collapsed rows included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/**
 * The PromQL of every panel target and of every query variable. Grafana's `label_values(expr, label)`
 * and `query_result(expr)` contribute their expression; `label_values(label)` selects no metric.
 */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) if (target.expr) out.push({ where: panel.title ?? '(untitled)', expr: target.expr });
  }
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query ?? '';
    const inner = /^\s*(?:label_values\((.*),\s*\w+\s*\)|query_result\((.*)\))\s*$/s.exec(query);
    const expr = inner ? inner[1] ?? inner[2] : /^\s*(label_values|label_names|metrics)\(/.test(query) ? undefined : query;
    if (expr) out.push({ where: `variable ${variable.name}`, expr });
  }
  return out;
}

/** A dashboard query as Prometheus can run it: Grafana's variables replaced by plain values. */
export function withVariables(expr: string, values: { job: string; instance: string }): string {
  return expr
    .replaceAll('$__range_s', '3600')
    .replaceAll('$__range', '1h')
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$job', values.job)
    .replaceAll('$instance', values.instance);
}

/** Alert names of the rules file, in order (`- alert: Name` lines). */
export function alertNames(rulesText: string): string[] {
  return [...rulesText.matchAll(/^\s*-\s*alert:\s*(\S+)\s*$/gm)].map((m) => m[1]!);
}
