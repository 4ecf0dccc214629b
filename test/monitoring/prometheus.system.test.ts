import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Agent } from '../../src/runtime/create-agent.ts';
import { startServer, type RunningShell } from '../../src/http/server.ts';
import type { RunningPlatform } from '../../src/platform/server.ts';
import { INSTANCE_TOKEN, startSeededPlatform } from '../support/platform.ts';
import { agentConfig } from '../support/config.ts';
import { ALERT_RULES, alertNames, dashboardQueries, exportedNames, metricNames, readDashboard, withVariables } from './promql.ts';

// Needs Debian's prometheus package; `npm run test:system` runs it, CI installs it.
// A real Prometheus scrapes a real agent (synced against the reference platform, WebSocket open) every
// second with the alert rules loaded: the dashboard's queries and the rules must work on what the
// agent really exports, not only on promtool's hand-written series.

const JOB = 'atom-saas-sync';
const SKILLS = 30; // under CacheLow's 1000: that alert must go pending on live data

/**
 * Polls `check` every 250 ms until it returns a value (errors count as "not yet"), or throws after
 * `timeoutMs` with `what` and the last error; `fatal` ends the wait at once (a process that died).
 */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: () => string, fatal: () => string | undefined = () => undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = fatal();
    if (reason) throw new Error(reason);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface ApiAnswer<T> { status: string; data: T; error?: string }
interface Sample { metric: Record<string, string>; value: [number, string] }
interface Rule { name: string; type: string; query: string; duration: number; health: string; lastError?: string; lastEvaluation: string; labels: Record<string, string>; annotations: Record<string, string> }

describe('Prometheus scraping a running agent with the alert rules loaded', () => {
  let dir: string;
  let platform: RunningPlatform | undefined;
  let agent: Agent | undefined;
  let shell: RunningShell | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';
  let api: string;
  let target: string;
  let exposition: string;

  async function get<T>(path: string): Promise<ApiAnswer<T>> {
    const res = await fetch(`${api}${path}`);
    return (await res.json()) as ApiAnswer<T>;
  }
  const query = (promql: string) => get<{ resultType: string; result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
  const log = () => `\n--- prometheus log (tail) ---\n${prometheusLog.slice(-3000)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atom-prometheus-'));
    platform = await startSeededPlatform(dir, SKILLS, { push: true });
    const config = agentConfig(dir, { ATOM_HTTP_PORT: '0', ATOM_SAAS_API_URL: platform.url, ATOM_SAAS_API_TOKEN: INSTANCE_TOKEN });
    agent = createAgent({ config });
    shell = await startServer(agent, config);
    await agent.start(); // the initial sync: atom_saas_sync_success_total{type="skill"} is 1 from here
    target = new URL(shell.url).host;
    exposition = await (await fetch(`${shell.url}/metrics/sync`)).text();

    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    const configFile = join(dir, 'prometheus.yml');
    // JSON is YAML: no YAML writer needed.
    writeFileSync(configFile, JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [ALERT_RULES],
      scrape_configs: [{ job_name: JOB, metrics_path: '/metrics/sync', static_configs: [{ targets: [target] }] }],
    }, null, 2));
    prometheus = spawn('prometheus', [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let spawnFailure: Error | undefined;
    prometheus.once('error', (error) => { spawnFailure = error; });
    prometheus.stdout!.on('data', (chunk) => { prometheusLog += chunk; });
    prometheus.stderr!.on('data', (chunk) => { prometheusLog += chunk; });
    await until(async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined), 30_000, () => `prometheus to be ready on ${api}${log()}`, () => {
      if (spawnFailure) return `cannot start prometheus (apt-get install -y prometheus): ${spawnFailure.message}`;
      if (prometheus!.exitCode !== null) return `prometheus exited with status ${prometheus!.exitCode}${log()}`;
      return undefined;
    });
  });

  afterAll(async () => {
    // A spawn that failed (no pid) may never emit exit: nothing to stop then.
    if (prometheus?.pid !== undefined && prometheus.exitCode === null && prometheus.signalCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      const timer = setTimeout(() => prometheus!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await shell?.close();
    await agent?.stop();
    await platform?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes /metrics/sync: the query API returns atom_saas_sync_success_total', async () => {
    const result = await until(async () => {
      const answer = await query('atom_saas_sync_success_total');
      return answer.data.result.length > 0 ? answer.data.result : undefined;
    }, 30_000, () => `a scrape of ${target}${log()}`);
    const skill = result.find((s) => s.metric.type === 'skill');
    expect(skill?.metric).toMatchObject({ __name__: 'atom_saas_sync_success_total', job: JOB, instance: target });
    expect(Number(skill!.value[1])).toBeGreaterThanOrEqual(1);
    expect(result.map((s) => s.metric.type).sort()).toEqual(['rating', 'skill']);

    const targets = await get<{ activeTargets: { health: string; lastError: string; scrapeUrl: string }[] }>('/api/v1/targets');
    expect(targets.data.activeTargets).toHaveLength(1);
    expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '', scrapeUrl: `http://${target}/metrics/sync` });
  });

  it('loads every alert rule healthy, each with a severity, summary, description, runbook and for', async () => {
    const expected = alertNames(readFileSync(ALERT_RULES, 'utf8'));
    const rules = await until(async () => {
      const answer = await get<{ groups: { name: string; rules: Rule[] }[] }>('/api/v1/rules');
      const all = answer.data.groups.flatMap((g) => g.rules);
      return all.length === expected.length && all.every((r) => r.health !== 'unknown') ? all : undefined;
    }, 30_000, () => `${expected.length} evaluated rules${log()}`);
    expect(rules.map((r) => r.name).sort()).toEqual([...expected].sort());
    for (const rule of rules) {
      expect({ name: rule.name, health: rule.health, lastError: rule.lastError ?? '' }).toEqual({ name: rule.name, health: 'ok', lastError: '' });
      expect(rule.type).toBe('alerting');
      expect(['warning', 'critical'], rule.name).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.name).toBeTruthy();
      expect(rule.annotations.description, rule.name).toBeTruthy();
      expect(rule.annotations.runbook, rule.name).toBe('README.md#monitoring');
      expect(rule.duration, `${rule.name} for:`).toBeGreaterThan(0);
    }
  });

  it('reads only metrics the agent exports, in every alert expression', async () => {
    const offered = exportedNames(exposition);
    const answer = await get<{ groups: { rules: Rule[] }[] }>('/api/v1/rules');
    const rules = answer.data.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      // `up` is Prometheus' own series for each target.
      const missing = metricNames(rule.query).filter((name) => name !== 'up' && !offered.has(name));
      expect(missing, `${rule.name}: ${rule.query}`).toEqual([]);
    }
  });

  it('reads only metrics the agent exports, in every dashboard query', () => {
    const offered = exportedNames(exposition);
    const queries = dashboardQueries(readDashboard());
    expect(queries.length).toBeGreaterThan(20);
    for (const { where, expr } of queries) {
      expect(metricNames(expr).filter((name) => !offered.has(name)), `${where}: ${expr}`).toEqual([]);
    }
  });

  it('answers every dashboard query, and each with data', async () => {
    const queries = dashboardQueries(readDashboard()).map((q) => ({ ...q, promql: withVariables(q.expr, { job: JOB, instance: '.*' }) }));
    for (const q of queries) {
      const answer = await query(q.promql);
      expect(answer.status, `${q.where}: ${q.promql}: ${answer.error ?? ''}`).toBe('success');
    }
    // rate() and increase() need two scrapes in their range: poll until every panel has a series.
    let empty: string[] = [];
    await until(async () => {
      empty = [];
      for (const q of queries) if ((await query(q.promql)).data.result.length === 0) empty.push(`${q.where}: ${q.promql}`);
      return empty.length === 0 ? true : undefined;
    }, 30_000, () => `data for\n  ${empty.join('\n  ')}`);
  });

  it('evaluates the rules on live data: CacheLow goes pending, SyncStale and WebSocketDisconnected do not', async () => {
    const alerts = await until(async () => {
      const answer = await get<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts');
      return answer.data.alerts.some((a) => a.labels.alertname === 'CacheLow') ? answer.data.alerts : undefined;
    }, 30_000, () => `CacheLow (${SKILLS} skills cached) to go pending${log()}`);
    expect(alerts.find((a) => a.labels.alertname === 'CacheLow')).toMatchObject({ state: 'pending', labels: { instance: target, job: JOB, severity: 'warning', type: 'skills' } });
    expect(alerts.map((a) => a.labels.alertname)).toEqual(['CacheLow']);
  });
});
