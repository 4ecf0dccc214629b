// The platform's HTTP and push contract suites, run on PostgreSQL: the same test files `npm test`
// runs on SQLite, imported after selecting the backend (one suite, two stores).

import { afterAll } from 'vitest';
import { stopPostgres, useBackend } from './backend.ts';

useBackend('postgres');
afterAll(stopPostgres);

await import('./http/skills-list.test.ts');
await import('./http/sync-extensions.test.ts');
await import('./http/publish.test.ts');
await import('./http/ratings.test.ts');
await import('./http/auth.test.ts');
await import('./http/limits.test.ts');
await import('./seq.test.ts');
