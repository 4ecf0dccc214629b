import type { Database } from 'better-sqlite3';

/** Persisted actor snapshots (XState getPersistedSnapshot output), one row per actor. */
export function createSnapshotRepository(db: Database) {
  const save = db.prepare(`
    INSERT INTO actor_snapshot (actor_id, machine, snapshot, updated_at) VALUES (@actor_id, @machine, @snapshot, @updated_at)
    ON CONFLICT(actor_id) DO UPDATE SET machine = excluded.machine, snapshot = excluded.snapshot, updated_at = excluded.updated_at
  `);
  const load = db.prepare<[string], { machine: string; snapshot: string; updated_at: number }>(
    'SELECT machine, snapshot, updated_at FROM actor_snapshot WHERE actor_id = ?',
  );
  const remove = db.prepare<[string]>('DELETE FROM actor_snapshot WHERE actor_id = ?');

  return {
    save(actorId: string, machine: string, snapshot: unknown, now: number): void {
      save.run({ actor_id: actorId, machine, snapshot: JSON.stringify(snapshot), updated_at: now });
    },
    load(actorId: string): { machine: string; snapshot: unknown; updatedAt: number } | undefined {
      const row = load.get(actorId);
      return row ? { machine: row.machine, snapshot: JSON.parse(row.snapshot) as unknown, updatedAt: row.updated_at } : undefined;
    },
    remove(actorId: string): void {
      remove.run(actorId);
    },
  };
}

export type SnapshotRepository = ReturnType<typeof createSnapshotRepository>;
