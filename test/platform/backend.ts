// Which store the platform's contract suites run against. `npm test` runs them on SQLite;
// test/platform/postgres.system.test.ts runs the same suites on PostgreSQL by selecting the
// backend before importing them. A PostgreSQL "path" is `pg:<database>`: each harness gets a
// database of its own, and a second harness on the same path reopens it (a restart).

import { openPostgresStore, type PostgresStore } from '../../src/platform/pg/store.ts';
import { startPostgres, type PostgresServer } from '../support/postgres-server.ts';

let backend: 'sqlite' | 'postgres' = 'sqlite';
let server: Promise<PostgresServer> | undefined;
const created = new Set<string>();
let counter = 0;

export function useBackend(name: 'sqlite' | 'postgres'): void {
  backend = name;
}

export function onPostgres(): boolean {
  return backend === 'postgres';
}

export function newPostgresPath(): string {
  counter += 1;
  return `pg:h_${process.pid}_${counter}`;
}

export function isPostgresPath(path: string): boolean {
  return path.startsWith('pg:');
}

/** Opens (creating on first use) the database behind a `pg:` path on the shared test server. */
export async function openPostgresPath(path: string, now?: () => number): Promise<PostgresStore> {
  server ??= startPostgres();
  const pg = await server;
  const name = path.slice(3);
  if (!created.has(name)) {
    await pg.createDatabase(name);
    created.add(name);
  }
  return openPostgresStore({ url: pg.url(name), ...(now ? { now } : {}), poolSize: 4 });
}

export async function stopPostgres(): Promise<void> {
  const pg = await server;
  server = undefined;
  created.clear();
  await pg?.stop();
}
