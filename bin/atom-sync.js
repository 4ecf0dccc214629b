#!/usr/bin/env node
// The atom-sync command. No build step: Node >= 22.18 runs the TypeScript sources itself, older Node
// goes through tsx's loader (bin/typescript.js); `npx atom-sync`, `npm start` and the child-process
// tests share this one path.
import { enableTypeScript } from './typescript.js';

await enableTypeScript();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
