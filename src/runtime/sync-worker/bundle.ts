import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// How the sync worker's code is loaded. Worker threads do not inherit the tsx loader, and loading it
// in the worker (entry.mjs) costs ~0.4 s and ~100 MB more: tsx starts its own loader thread and
// transpiles every module again. Instead serve.ts and the sources it imports are bundled once into a
// plain ES module with esbuild (the transpiler tsx itself uses; packages stay external and load from
// node_modules), cached under node_modules/.cache by a key of the sources' sizes and times.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'atom-saas-sync');
/** The tsx route: always works, slower to start. */
export const TSX_ENTRY = new URL('./entry.mjs', import.meta.url);

/** The module a sync worker runs: the cached bundle, built now if the sources changed; entry.mjs if that fails. */
export async function syncWorkerModule(): Promise<URL> {
  try {
    const file = join(CACHE_DIR, `sync-worker-${sourcesKey()}.mjs`);
    if (!existsSync(file)) {
      const { build } = await import('esbuild');
      mkdirSync(CACHE_DIR, { recursive: true });
      // Written aside and renamed: two agents starting at once never load a half-written bundle.
      const partial = `${file}.${process.pid}.tmp`;
      await build({
        entryPoints: [SERVE], outfile: partial, bundle: true, platform: 'node', format: 'esm', target: 'node20',
        packages: 'external', logLevel: 'silent',
      });
      renameSync(partial, file);
      // Bundles of older sources are never loaded again.
      for (const old of readdirSync(CACHE_DIR)) if (old.startsWith('sync-worker-') && join(CACHE_DIR, old) !== file && !old.endsWith('.tmp')) rmSync(join(CACHE_DIR, old), { force: true });
    }
    return pathToFileURL(file);
  } catch {
    // No esbuild, or node_modules not writable: the same code through tsx.
    return TSX_ENTRY;
  }
}

/** A key that changes whenever a source file the worker may bundle changes. */
function sourcesKey(): string {
  const lines: string[] = [];
  for (const dir of ['src', 'machines']) {
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const path = join(entry.parentPath, entry.name);
      const { size, mtimeMs } = statSync(path);
      lines.push(`${path}\0${size}\0${mtimeMs}`);
    }
  }
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
}
