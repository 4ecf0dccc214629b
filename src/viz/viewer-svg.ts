import { readFileSync } from 'node:fs';
import type { AnyStateMachine } from 'xstate';
import { toMermaid } from './mermaid.ts';
import { statePaths, withStateHooks } from './state-hooks.ts';

// The chart the viewer page shows: the SVG `npm run viz` draws, plus the data-state hooks. Drawing
// (beautiful-mermaid and ELK) takes ~0.4 s to load and up to ~0.3 s per chart, all on the event
// loop the agent's sync and socket share, so the committed visualizations/<machine>.svg is used
// whenever it was drawn from exactly the Mermaid text the running machine gives (its .mmd beside
// it); otherwise (the chart changed and `npm run viz` has not been run, or the folder is not
// there) the chart is drawn from the running machine. Either way it shows the chart that runs.

const VISUALIZATIONS = new URL('../../visualizations/', import.meta.url);

export async function viewerSvg(machine: AnyStateMachine): Promise<string> {
  const mermaid = toMermaid(machine);
  const svg = committedSvg(machine.id, mermaid) ?? (await import('./render.ts')).toSvg(mermaid);
  return withStateHooks(svg, statePaths(machine));
}

/** visualizations/<id>.svg when visualizations/<id>.mmd is this Mermaid text, else null. */
export function committedSvg(id: string, mermaid: string, dir: URL = VISUALIZATIONS): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  try {
    if (readFileSync(new URL(`${id}.mmd`, dir), 'utf8') !== mermaid) return null;
    return readFileSync(new URL(`${id}.svg`, dir), 'utf8');
  } catch {
    return null;
  }
}
