import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MONITORING, allPanels, dashboardQueries, metricNames, readDashboard } from './promql.ts';

// The Grafana dashboard's structure, checked without Grafana or Prometheus so that a broken edit fails
// in `npm test`; test/monitoring/prometheus.system.test.ts runs every query against a live agent.

const dashboard = readDashboard() as ReturnType<typeof readDashboard> & Record<string, any>;
const panels = allPanels(dashboard) as Record<string, any>[];
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
/** Spec 002 "Dashboard Panels", in order. */
const ROWS = ['Overview', 'Sync Metrics', 'Cache Metrics', 'WebSocket', 'Conflict Resolution'];

describe('monitoring/grafana/sync-dashboard.json', () => {
  it('keeps a stable uid and a current schema, ready to import (no instance id)', () => {
    expect(dashboard.uid).toBe('atom-saas-sync');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.id ?? null).toBeNull();
    expect(dashboard.title).toBeTruthy();
  });

  it('takes its Prometheus from a datasource variable', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const v of dashboard.templating.list) if (v.type === 'query') expect((v as any).datasource, v.name).toEqual(DATASOURCE);
  });

  it('runs every panel and every target on ${datasource}, each with a query and its own refId', () => {
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource, panel.title).toEqual(DATASOURCE);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      const refIds = panel.targets.map((t: any) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
      for (const target of panel.targets) {
        expect(target.datasource, panel.title).toEqual(DATASOURCE);
        expect(target.expr, panel.title).toMatch(/\S/);
      }
    }
  });

  it('has the rows of spec 002 in order, each with panels', () => {
    const top = dashboard.panels as Record<string, any>[];
    const rows = top.filter((p) => p.type === 'row');
    expect(rows.map((r) => r.title)).toEqual(ROWS);
    for (const [i, row] of rows.entries()) {
      const start = top.indexOf(row);
      const end = i + 1 < rows.length ? top.indexOf(rows[i + 1]!) : top.length;
      expect(end - start - 1 + (row.panels?.length ?? 0), row.title).toBeGreaterThan(0);
    }
  });

  it('draws the connection chart as a state timeline of atom_actor_state in the WebSocket row', () => {
    const top = dashboard.panels as Record<string, any>[];
    const ws = top.findIndex((p) => p.type === 'row' && p.title === 'WebSocket');
    const next = top.findIndex((p, i) => i > ws && p.type === 'row');
    const timeline = top.slice(ws + 1, next).find((p) => p.type === 'state-timeline');
    expect(timeline, 'state-timeline panel').toBeDefined();
    expect(timeline!.targets[0].expr).toMatch(/atom_actor_state\{[^}]*actor="connection"/);
  });

  it('lays panels on the 24-column grid without overlaps, with unique ids', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const boxes = (dashboard.panels as Record<string, any>[]).map((p) => ({ title: p.title as string, ...(p.gridPos as { x: number; y: number; w: number; h: number }) }));
    for (const b of boxes) expect(b.x + b.w, b.title).toBeLessThanOrEqual(24);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    }
  });

  it('reads only the agent\'s own metrics', () => {
    for (const { where, expr } of dashboardQueries(dashboard)) {
      const names = metricNames(expr);
      expect(names.length, where).toBeGreaterThan(0);
      for (const name of names) expect(name, where).toMatch(/^atom_(saas|actor)_/);
    }
  });

  it('is provisioned from the folder the provider watches, with a Prometheus data source', () => {
    const provider = readFileSync(`${MONITORING}grafana/provisioning/dashboards/atom-saas-sync.yml`, 'utf8');
    expect(provider).toMatch(/^\s+type: file$/m);
    expect(provider).toMatch(/^\s+path: \/var\/lib\/grafana\/dashboards\/atom-saas-sync$/m);
    const datasource = readFileSync(`${MONITORING}grafana/provisioning/datasources/prometheus.yml`, 'utf8');
    expect(datasource).toMatch(/^\s+type: prometheus$/m);
  });
});
