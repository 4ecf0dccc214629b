import type { AnyStateMachine } from 'xstate';
import { stateIds } from './mermaid.ts';

// The viewer page highlights the active states on a chart. beautiful-mermaid marks each box with
// the Mermaid id (`data-id="link_open"`), which is allocated (unique, word characters only, reserved
// words avoided), so a state path cannot be turned back into it. The served SVG therefore carries
// the path itself: `data-state="link.open"` on the box of every state node. visualizations/*.svg
// are left as `npm run viz` writes them; only the copy the viewer fetches has the hooks
// (viewer-svg.ts).

/** Mermaid id → state path (`link.open`) of every state node drawn; a parallel root's wrapper has none. */
export function statePaths(machine: AnyStateMachine): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [node, id] of stateIds(machine)) if (node.path.length > 0) paths.set(id, node.path.join('.'));
  return paths;
}

/**
 * Adds `data-state="<path>"` to the group that draws each state: `g.node` for an atomic state,
 * `g.subgraph` for a compound or parallel one. Groups of pseudo-states (start, end, "any state")
 * are left alone.
 */
export function withStateHooks(svg: string, paths: ReadonlyMap<string, string>): string {
  return svg.replace(/<g class="(?:node|subgraph)" data-id="([^"]*)"/g, (group, id: string) => {
    const path = paths.get(id);
    return path === undefined ? group : `${group} data-state="${escapeAttribute(path)}"`;
  });
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
