import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMPORT_RULES, importCycles, importViolations, type ImportEdge } from './support/import-rules.ts';

// The layering docs/architecture.md promises, checked over every import of machines/ and src/
// (static, re-exports, `import type` and dynamic `import()` alike: a type-only edge still couples).

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

const SPECIFIER = /(?:^|\s)(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function edgesOf(file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((match) => {
    const specifier = (match[1] ?? match[2] ?? match[3])!;
    const target = specifier.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), specifier)) : specifier;
    return { from: file, specifier, target, dynamic: match[2] !== undefined };
  });
}

const edges = [...sourceFiles('machines'), ...sourceFiles('src')].flatMap(edgesOf);

describe('import rules (docs/architecture.md "Who may import what")', () => {
  it('reads the imports of every source file', () => {
    // A regex that silently matched nothing would pass every rule below.
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.some((e) => e.from === 'machines/syncCycle.ts' && e.target === 'xstate')).toBe(true);
  });

  for (const rule of IMPORT_RULES) {
    it(rule.name, () => {
      expect(importViolations(edges, rule).map((e) => `${e.from} imports ${e.specifier}`)).toEqual([]);
    });
  }

  // A command's module is loaded on demand (`import()` in cli/commands.ts), which is how the command
  // table and `help` can name each other without a loop at load time.
  it('has no import cycle among static imports, type-only ones included', () => {
    expect(importCycles(edges)).toEqual([]);
    // The same check finds a loop when there is one.
    expect(importCycles([
      { from: 'src/a.ts', specifier: './b.ts', target: 'src/b.ts', dynamic: false },
      { from: 'src/b.ts', specifier: './a.ts', target: 'src/a.ts', dynamic: false },
    ])).toEqual([['src/a.ts', 'src/b.ts']]);
  });

  it('flags an edge that breaks a rule', () => {
    const bad: ImportEdge[] = [
      { from: 'machines/x.ts', specifier: '../src/runtime/clock.ts', target: 'src/runtime/clock.ts', dynamic: false },
      { from: 'src/store/x.ts', specifier: '../runtime/agent.ts', target: 'src/runtime/agent.ts', dynamic: false },
      { from: 'src/platform/x.ts', specifier: '../store/index.ts', target: 'src/store/index.ts', dynamic: false },
      { from: 'src/http/x.ts', specifier: '../platform/app.ts', target: 'src/platform/app.ts', dynamic: false },
    ];
    const flagged = IMPORT_RULES.flatMap((rule) => importViolations(bad, rule)).map((e) => e.from);
    expect(new Set(flagged)).toEqual(new Set(bad.map((e) => e.from)));
  });
});
