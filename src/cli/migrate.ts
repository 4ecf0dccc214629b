import { openStore, SchemaTooNewError } from '../store/index.ts';
import { loadCliConfig } from './load-cli-config.ts';
import type { Command } from './command.ts';

/** `atom-sync migrate`: creates or upgrades the agent database and checks its integrity. */
export const migrateCommand: Command = {
  summary: 'create or upgrade the agent database (ATOM_DB_PATH) and check its integrity',
  usage: [
    'usage: atom-sync migrate [--db PATH]',
    '',
    'Applies pending schema migrations to the agent database (ATOM_DB_PATH, or --db), then runs',
    'an integrity check. Safe to run again: an up-to-date database is left as it is.',
    'Exits 1 when the database is newer than this atom-sync, or damaged.',
    '  --db PATH   the database to migrate (default: ATOM_DB_PATH)',
  ].join('\n'),
  options: { db: { type: 'string' } },
  examples: [
    'atom-sync migrate',
    'atom-sync migrate --db ./data/atom.db',
  ],
  async run({ values }) {
    let path = values.db as string | undefined;
    if (path === '') {
      process.stderr.write('atom-sync migrate: --db needs a path\n');
      return 2;
    }
    if (path === undefined) {
      path = loadCliConfig()?.db.path;
      if (path === undefined) return 1;
    }
    try {
      const store = openStore(path);
      const report = store.migration;
      const integrity = store.integrity('full');
      store.close();
      const applied = report?.applied.length ? `applied ${report.applied.join(', ')}` : 'already up to date';
      process.stdout.write(`${path}: schema version ${report?.to}, ${applied}\n`);
      if (!integrity.ok) {
        process.stderr.write(`atom-sync migrate: integrity check failed:\n  ${integrity.problems.join('\n  ')}\n`);
        return 1;
      }
      process.stdout.write('integrity ok\n');
      return 0;
    } catch (error) {
      const message = error instanceof SchemaTooNewError ? error.message : `cannot open ${path}: ${(error as Error).message}`;
      process.stderr.write(`atom-sync migrate: ${message}\n`);
      return 1;
    }
  },
};
