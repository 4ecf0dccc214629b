#!/usr/bin/env node
// Runs one TypeScript file (a bench or a script): `node bin/run-ts.js bench/run.ts`. Natively on
// Node >= 22.18, through tsx's loader on older Node (bin/typescript.js).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { enableTypeScript } from './typescript.js';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts <file.ts> [args...]');
  process.exit(2);
}
await enableTypeScript();
process.argv = [process.argv[0], resolve(file), ...rest];
await import(pathToFileURL(resolve(file)).href);
