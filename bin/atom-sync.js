#!/usr/bin/env node
// The atom-sync command. No build step: Node >= 22.18 runs the TypeScript sources itself, older Node
// goes through tsx's loader (bin/typescript.js); `npx atom-sync`, `npm start` and the child-process
// tests share this one path.
import { enableTypeScript } from './typescript.js';

await enableTypeScript();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// The command has finished (its stops have deadlines): if some handle still holds the event loop,
// do not hang; the exit code is already set.
setTimeout(() => process.exit(), 5_000).unref();
