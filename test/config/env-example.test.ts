import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig, VARIABLES } from '../../src/config/index.ts';
import { renderConfigTable, renderEnvExample, replaceConfigTable } from '../../src/config/env-example.ts';
import { describeAllowed, describeDefault, type VariableSpec } from '../../src/config/variables.ts';
import { BASE_ENV, cleanupTempDirs, expectOk, REPO_ROOT, tempDir } from './helpers.ts';

afterEach(cleanupTempDirs);

const SPECS = VARIABLES as readonly VariableSpec[];

describe('docs/configuration.md configuration table', () => {
  it('is up to date with the VARIABLES table', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'configuration.md'), 'utf8');
    expect(doc, 'docs/configuration.md configuration table is stale: regenerate it with `node bin/run-ts.js scripts/write-config-docs.ts`')
      .toBe(replaceConfigTable(doc, renderConfigTable()));
  });
});

describe('.env.example', () => {
  it('is up to date with the VARIABLES table', () => {
    let committed: string;
    try {
      committed = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
    } catch {
      committed = '(missing)';
    }
    expect(committed, '.env.example is stale: regenerate it with `node bin/run-ts.js scripts/write-config-docs.ts`').toBe(renderEnvExample());
  });

  it('documents every variable once, with its description, allowed values and default', () => {
    const text = renderEnvExample();
    for (const spec of SPECS) {
      const assignments = text.split('\n').filter((line) => new RegExp(`^(# )?${spec.name}=`).test(line));
      expect(assignments, spec.name).toHaveLength(1);
      expect(text).toContain(`# ${spec.description}.`);
      expect(text).toContain(`Allowed: ${describeAllowed(spec)}. Default: ${describeDefault(spec)}.`);
    }
  });

  it('copied as .env with every line uncommented, gives exactly the defaults', () => {
    const uncommented = renderEnvExample().replace(/^# ([A-Z_]+=)/gm, '$1');
    const values = parseEnv(uncommented);
    expect(Object.keys(values).sort()).toEqual(SPECS.map((s) => s.name).sort());
    const cwd = tempDir({ '.env': uncommented });
    const withFile = expectOk(loadConfig({ env: { ...BASE_ENV }, cwd }));
    const defaults = expectOk(loadConfig({ env: { ...BASE_ENV }, envFile: false }));
    expect(withFile.config).toEqual(defaults.config);
    expect(withFile.warnings).toEqual([]);
  });

  it('copied as is, asks for the required variables only', () => {
    const cwd = tempDir({ '.env': renderEnvExample() });
    const result = loadConfig({ env: {}, cwd });
    expect(result.ok ? [] : result.problems.map((p) => `${p.variable} ${p.problem}`)).toEqual([
      'ATOM_SAAS_API_URL is required when ATOM_SAAS_ENABLED=true',
      'ATOM_SAAS_API_TOKEN is required when ATOM_SAAS_ENABLED=true',
    ]);
  });
});

describe('renderConfigTable', () => {
  const rows = renderConfigTable().trimEnd().split('\n');
  /** Cells of a row, split on pipes that are not escaped. */
  const cells = (row: string) => row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());

  it('has a header and one row per variable, in table order, four cells each', () => {
    expect(rows[0]).toBe('| Variable | Default | Allowed | Description |');
    expect(rows[1]).toBe('| --- | --- | --- | --- |');
    expect(rows.slice(2).map((r) => cells(r)[0])).toEqual(SPECS.map((s) => `\`${s.name}\``));
    for (const row of rows) expect(cells(row), row).toHaveLength(4);
  });

  it('shows each default and allowed range', () => {
    const byName = new Map(rows.slice(2).map((r) => [cells(r)[0]!.replace(/`/g, ''), cells(r)]));
    expect(byName.get('ATOM_SAAS_SYNC_INTERVAL_MINUTES')!.slice(1, 3)).toEqual(['15', 'an integer from 5 to 60 (minutes)']);
    expect(byName.get('ATOM_SAAS_CONFLICT_STRATEGY')!.slice(1, 3)).toEqual(['remote_wins', 'one of remote_wins, local_wins, merge, manual (any case)']);
    expect(byName.get('ATOM_SAAS_API_URL')![3]).toContain('&lt;url&gt;/api/v1');
    for (const spec of SPECS) {
      const [, def, allowed] = byName.get(spec.name)!;
      expect(def!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\\\*/g, '*')).toBe(describeDefault(spec));
      expect(allowed).toBe(describeAllowed(spec));
    }
  });
});
