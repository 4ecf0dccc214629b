import type { Database } from 'better-sqlite3';

export interface JournalEntry {
  id: number;
  at: number;
  actorId: string;
  eventType: string;
  fromState: string | null;
  toState: string;
  /** The processed event as sanitised, bounded JSON (src/runtime/sanitize.ts); null in rows older than schema 4. */
  event: string | null;
  /** The actor's context after the transition, sanitised and bounded the same way; null in older rows. */
  context: string | null;
}

/** The journal keeps this many transitions; older ones are trimmed. */
export const JOURNAL_LIMIT = 10_000;

const COLUMNS = 'id, at, actor_id AS actorId, event_type AS eventType, from_state AS fromState, to_state AS toState, event, context';

/** Bounded transition journal fed by the actors' inspect observer. */
export function createJournalRepository(db: Database, limit = JOURNAL_LIMIT) {
  const append = db.prepare(
    'INSERT INTO transition_journal (at, actor_id, event_type, from_state, to_state, event, context) VALUES (@at, @actorId, @eventType, @fromState, @toState, @event, @context)',
  );
  const trim = db.prepare<[number]>('DELETE FROM transition_journal WHERE id <= ?');
  const recent = db.prepare<[number], JournalEntry>(`SELECT ${COLUMNS} FROM transition_journal ORDER BY id DESC LIMIT ?`);
  const recentForActor = db.prepare<[string, number], JournalEntry>(
    `SELECT ${COLUMNS} FROM transition_journal WHERE actor_id = ? ORDER BY id DESC LIMIT ?`,
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM transition_journal');
  const failures = db.prepare<[number], JournalEntry>(
    `SELECT ${COLUMNS} FROM transition_journal WHERE event_type GLOB 'xstate.error.actor.*' ORDER BY id DESC LIMIT ?`,
  );
  const between = db.prepare<[number, number, number], JournalEntry>(
    `SELECT ${COLUMNS} FROM transition_journal WHERE at >= ? AND at <= ? ORDER BY id LIMIT ?`,
  );
  const lastBefore = db.prepare<[number], JournalEntry>(
    // The newest row of each actor before `at` (SQLite returns the row that holds the max).
    `SELECT ${COLUMNS.replace('id,', 'max(id) AS id,')} FROM transition_journal WHERE at < ? GROUP BY actor_id`,
  );
  // Trimming every insert would double the write cost; trimming every `limit / 10` keeps the
  // table within 110 % of the limit at worst, and exactly at the limit right after a trim.
  const trimEvery = Math.max(1, Math.floor(limit / 10));
  let sinceTrim = 0;

  return {
    append(entry: Omit<JournalEntry, 'id'>): number {
      const id = Number(append.run(entry).lastInsertRowid);
      sinceTrim += 1;
      if (sinceTrim >= trimEvery) {
        sinceTrim = 0;
        trim.run(id - limit);
      }
      return id;
    },
    /** Newest first. */
    recent(limitRows: number, actorId?: string): JournalEntry[] {
      return actorId === undefined ? recent.all(limitRows) : recentForActor.all(actorId, limitRows);
    },
    /** Rows with `from <= at <= to`, oldest first, at most `limitRows`. */
    between(from: number, to: number, limitRows: number): JournalEntry[] {
      return between.all(from, to, limitRows);
    },
    /** Each actor's newest row before `at`: where the actor stood then. */
    lastBefore(at: number): JournalEntry[] {
      return lastBefore.all(at);
    },
    count(): number {
      return count.get()?.n ?? 0;
    },
    /** Failed effects (`xstate.error.actor.*` events), newest first. */
    recentFailures(limitRows: number): JournalEntry[] {
      return failures.all(limitRows);
    },
  };
}

/** A journal column (event, context) as the object it holds; null when the row predates it or it does not parse. */
export function parseJournalJson(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export type JournalRepository = ReturnType<typeof createJournalRepository>;
