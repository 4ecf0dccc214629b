#!/usr/bin/env node
// The atom-sync command. TypeScript runs directly through tsx's loader (no build step);
// the loader is registered here so `npx atom-sync`, `npm start` and child-process tests share one path.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
