// Rewrites the configuration docs from the VARIABLES table: .env.example, and the table in README.md
// between its config-table markers.
//   node bin/run-ts.js scripts/write-config-docs.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEnvExample, renderConfigTable, replaceConfigTable } from '../src/config/env-example.ts';

const envExample = fileURLToPath(new URL('../.env.example', import.meta.url));
writeFileSync(envExample, renderEnvExample());
process.stdout.write(`wrote ${envExample}\n`);

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
writeFileSync(readme, replaceConfigTable(readFileSync(readme, 'utf8'), renderConfigTable()));
process.stdout.write(`wrote the configuration table in ${readme}\n`);
