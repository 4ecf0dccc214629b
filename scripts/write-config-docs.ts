// Rewrites the configuration docs from the VARIABLES table: .env.example, and the table in
// docs/configuration.md between its config-table markers.
//   node bin/run-ts.js scripts/write-config-docs.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEnvExample, renderConfigTable, replaceConfigTable } from '../src/config/env-example.ts';

const envExample = fileURLToPath(new URL('../.env.example', import.meta.url));
writeFileSync(envExample, renderEnvExample());
process.stdout.write(`wrote ${envExample}\n`);

const doc = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
writeFileSync(doc, replaceConfigTable(readFileSync(doc, 'utf8'), renderConfigTable()));
process.stdout.write(`wrote the configuration table in ${doc}\n`);
