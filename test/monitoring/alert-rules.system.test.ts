import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { ALERTS_DIR, ALERT_RULES, alertNames } from './promql.ts';

// Needs Debian's prometheus package (promtool); `npm run test:system` runs it, CI installs it.

const testFiles = readdirSync(ALERTS_DIR).filter((f) => f.endsWith('.test.yml')).sort();

function promtool(...args: string[]) {
  const run = spawnSync('promtool', args, { cwd: ALERTS_DIR, encoding: 'utf8', timeout: 60_000 });
  expect(run.error, 'promtool must be installed: apt-get install -y prometheus').toBeUndefined();
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('monitoring/alerts', () => {
  const rules = readFileSync(ALERT_RULES, 'utf8');

  it('passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', 'prometheus-alerts.yml');
    expect(output).toContain(`SUCCESS: ${alertNames(rules).length} rules found`);
    expect(status, output).toBe(0);
  });

  it('passes promtool test rules, every test file', () => {
    expect(testFiles.length).toBeGreaterThan(0);
    const { status, output } = promtool('test', 'rules', ...testFiles);
    expect(output).not.toContain('FAILED');
    expect(output.match(/SUCCESS/g)?.length, output).toBe(testFiles.length);
    expect(status, output).toBe(0);
  });

  it('tests every alert once firing and once quiet', () => {
    // An `alertname:` whose `exp_alerts:` is `[]` must stay quiet; one followed by a list fires.
    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const file of testFiles) {
      const text = readFileSync(`${ALERTS_DIR}${file}`, 'utf8');
      for (const m of text.matchAll(/alertname:\s*(\S+)\s*\n\s*exp_alerts:[ \t]*(\[\])?/g)) (m[2] ? quiet : fires).add(m[1]!);
    }
    for (const name of alertNames(rules)) {
      expect(fires.has(name), `${name}: no case where it fires`).toBe(true);
      expect(quiet.has(name), `${name}: no case where it must stay quiet`).toBe(true);
    }
  });
});
