import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { StateMachine, type AnyStateMachine } from 'xstate';

// The charts to draw are whatever machines/ exports: every module there is imported and every
// exported StateMachine taken, so a new chart is drawn without editing a list (helpers such as
// failure.ts export none and are skipped).

export const MACHINES_DIR = fileURLToPath(new URL('../../machines/', import.meta.url));

/** Every machine exported from machines/*.ts, sorted by id; two machines with one id are an error. */
export async function loadMachines(dir: string = MACHINES_DIR): Promise<AnyStateMachine[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const found = new Map<string, AnyStateMachine>();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (!(value instanceof StateMachine)) continue;
      const machine = value as AnyStateMachine;
      const existing = found.get(machine.id);
      if (existing && existing !== machine) throw new Error(`two machines have the id '${machine.id}' (one in machines/${file})`);
      found.set(machine.id, machine);
    }
  }
  return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
