import type { Migration } from '../migrate.ts';

// The journal keeps what replay needs (docs/traces.md): the event each transition processed and the
// actor's context after it, both sanitised and bounded by the runtime (src/runtime/sanitize.ts), as
// JSON text. Rows written before this version have neither: a trace marks them not replayable.
export const journalPayloads: Migration = {
  version: 4,
  name: 'journal event and context',
  up: `
    ALTER TABLE transition_journal ADD COLUMN event TEXT;
    ALTER TABLE transition_journal ADD COLUMN context TEXT;
    CREATE INDEX idx_transition_journal_at ON transition_journal(at);
  `,
};
