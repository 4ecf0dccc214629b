import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { openStore } from '../../src/store/index.ts';
import { startWalCheckpointer } from '../../src/store/wal-checkpointer.ts';
import { createPageWriter } from '../../src/runtime/page-writer.ts';
import { makeSkill } from '../support/skills.ts';
import { eventually } from '../support/eventually.ts';
import { useTempDir } from '../support/temp-dir.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');

function writePages(store: ReturnType<typeof openStore>, pages: number) {
  store.syncState.beginOrResume('full', T0);
  // The sync's own write pattern: a transaction per page, with its checkpoint.
  const writePage = createPageWriter(store, () => 'manual');
  for (let p = 0; p < pages; p++) {
    const skills = Array.from({ length: 100 }, (_, i) => makeSkill(p * 100 + i));
    writePage({ skills, checkpoint: { cursor: `c${p}`, page: null, pagesDone: p + 1, skillsDone: (p + 1) * 100 } }, T0);
  }
}

const autocheckpoint = (store: ReturnType<typeof openStore>) => store.db.pragma('wal_autocheckpoint', { simple: true });

describe('WAL checkpoints on a worker thread', () => {
  const tempDir = useTempDir();

  it('take over from the commits: the WAL is copied back while the writer never checkpoints', async () => {
    const path = join(tempDir(), 'atom.db');
    const store = openStore(path);
    const checkpointer = startWalCheckpointer(store.db, path, { intervalMs: 10 });
    expect(autocheckpoint(store)).toBe(0);
    expect(checkpointer.stats.background).toBe(true);

    writePages(store, 30);
    await eventually(() => checkpointer.stats.framesCheckpointed > 0, 5000, 'a checkpoint from the worker');
    await checkpointer.stop();
    expect(checkpointer.stats.background).toBe(true);
    // The last checkpoint at stop copied everything: a fresh reader sees every row in the file.
    store.close();
    const reopened = openStore(path);
    expect(reopened.skills.count()).toBe(3000);
    expect(reopened.integrity('full')).toEqual({ ok: true, problems: [] });
    reopened.close();
  });

  it('keeps the database file growing with the data instead of leaving it all in the WAL', async () => {
    const path = join(tempDir(), 'atom.db');
    const store = openStore(path);
    const checkpointer = startWalCheckpointer(store.db, path, { intervalMs: 10 });
    const before = statSync(path).size;
    writePages(store, 30);
    await eventually(() => statSync(path).size > before * 4, 5000, 'the database file to receive the checkpointed pages');
    await checkpointer.stop();
    store.close();
  });

  it('hands checkpoints back to SQLite when the worker cannot run', async () => {
    const path = join(tempDir(), 'atom.db');
    const store = openStore(path);
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => warnings.push(message) } as never;
    // The worker opens the file with fileMustExist; a path that is not there makes it fail at once.
    const checkpointer = startWalCheckpointer(store.db, join(tempDir(), 'missing', 'atom.db'), { intervalMs: 10, logger });
    await eventually(() => !checkpointer.stats.background, 5000, 'the fallback');
    expect(autocheckpoint(store)).toBe(1000);
    expect(warnings).toEqual(['WAL checkpoint worker stopped; SQLite checkpoints inside commits again']);
    await checkpointer.stop();
    store.close();
  });

  it('does nothing for an in-memory database', async () => {
    const store = openStore(':memory:');
    const checkpointer = startWalCheckpointer(store.db, ':memory:');
    expect(checkpointer.stats.background).toBe(false);
    await checkpointer.stop();
    store.close();
  });
});
