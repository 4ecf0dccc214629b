import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, formatProblems, type LoadResult } from '../../src/config/index.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The two variables ATOM_SAAS_ENABLED=true (the default) requires. */
export const BASE_ENV = {
  ATOM_SAAS_API_URL: 'https://api.example.test',
  ATOM_SAAS_API_TOKEN: 'base-token-0123456789',
} as const;

/** Loads with BASE_ENV plus `extra` from a fake environment, reading no .env file. */
export function loadEnv(extra: Record<string, string | undefined> = {}, base: Record<string, string> = BASE_ENV): LoadResult {
  return loadConfig({ env: { ...base, ...extra }, envFile: false });
}

export function expectOk(result: LoadResult): Extract<LoadResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a valid configuration, got ${formatProblems(result.problems)}`);
  return result;
}

export function expectProblems(result: LoadResult): Extract<LoadResult, { ok: false }> {
  if (result.ok) throw new Error('expected configuration problems, got a valid configuration');
  return result;
}

/** Temporary directories removed by cleanupTempDirs (call it in afterEach). */
const dirs: string[] = [];
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'atom-sync-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
export function cleanupTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every leaf of a configuration object by dotted path (`saas.apiUrl`). */
export function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) {
      for (const [path, leaf] of leaves(v, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}
