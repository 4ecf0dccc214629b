import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { toMermaid } from './mermaid.ts';
import { toSvg } from './render.ts';

// What `npm run viz` owns: visualizations/<machine>.mmd and .svg, and the block of docs/statecharts.md between the
// charts markers. `expectedArtifacts` is the single source for writing and for the staleness check.

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VIZ_DIR = 'visualizations';
/** The document whose charts block `npm run viz` writes (the name README is kept for the callers). */
export const README = 'docs/statecharts.md';
export const CHARTS_START = '<!-- charts:start -->';
export const CHARTS_END = '<!-- charts:end -->';

export interface Chart {
  id: string;
  mermaid: string;
}

/** The charts of the given machines (in the order given). */
export function chartsOf(machines: readonly AnyStateMachine[]): Chart[] {
  return machines.map((machine) => ({ id: machine.id, mermaid: toMermaid(machine) }));
}

/** Repo-relative path → content, for every generated file. */
export function expectedFiles(charts: readonly Chart[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const chart of charts) {
    files.set(`${VIZ_DIR}/${chart.id}.mmd`, chart.mermaid);
    files.set(`${VIZ_DIR}/${chart.id}.svg`, toSvg(chart.mermaid));
  }
  return files;
}

/** The README text between the markers: a heading and a Mermaid block per chart. */
export function chartsBlock(charts: readonly Chart[]): string {
  return charts.map((c) => `### ${c.id}\n\n\`\`\`mermaid\n${c.mermaid}\`\`\`\n`).join('\n');
}

/** The README with its charts block replaced; throws when the markers are missing. */
export function withChartsBlock(readme: string, block: string): string {
  const start = readme.indexOf(CHARTS_START);
  const end = readme.indexOf(CHARTS_END);
  if (start < 0 || end < start) throw new Error(`${README} has no '${CHARTS_START}' … '${CHARTS_END}' block`);
  return `${readme.slice(0, start + CHARTS_START.length)}\n${block}${readme.slice(end)}`;
}

/** Files under visualizations/ that differ from what the machines generate, are missing or are left over, and README.md if its block is stale. */
export function staleFiles(charts: readonly Chart[], root: string = REPO_ROOT): string[] {
  const stale: string[] = [];
  const expected = expectedFiles(charts);
  for (const [path, content] of expected) if (read(join(root, path)) !== content) stale.push(path);
  for (const file of listDir(join(root, VIZ_DIR))) {
    const path = `${VIZ_DIR}/${file}`;
    if (/\.(mmd|svg)$/.test(file) && !expected.has(path)) stale.push(`${path} (no machine draws it)`);
  }
  const readme = read(join(root, README));
  if (readme === null || withChartsBlock(readme, chartsBlock(charts)) !== readme) stale.push(README);
  return stale.sort();
}

/**
 * Writes every generated file whose content changed and removes charts of machines that no longer
 * exist; returns the repo-relative paths written or removed.
 */
export function writeArtifacts(charts: readonly Chart[], root: string = REPO_ROOT): string[] {
  const written: string[] = [];
  const expected = expectedFiles(charts);
  for (const [path, content] of expected) {
    const file = join(root, path);
    if (read(file) === content) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    written.push(path);
  }
  for (const file of listDir(join(root, VIZ_DIR))) {
    const path = `${VIZ_DIR}/${file}`;
    if (/\.(mmd|svg)$/.test(file) && !expected.has(path)) {
      rmSync(join(root, path));
      written.push(`${path} (removed)`);
    }
  }
  const readmePath = join(root, README);
  const readme = read(readmePath);
  if (readme === null) throw new Error(`${readmePath} not found`);
  const updated = withChartsBlock(readme, chartsBlock(charts));
  if (updated !== readme) {
    writeFileSync(readmePath, updated);
    written.push(README);
  }
  return written;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
