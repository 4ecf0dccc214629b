import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { IdAllocator } from './ids.ts';
import { escapeName, eventLabel, transitionLabel } from './labels.ts';

// A machine as a Mermaid stateDiagram-v2, drawn from xstate/graph's directed graph (nodes and their
// transition edges) plus each node's `always` transitions, which the directed graph leaves out.
//
// Layout decisions, each for legibility in both Mermaid and beautiful-mermaid:
// - every state is declared (`state "open" as link_open`) before any arrow mentions it, so each
//   renderer puts it in the composite it belongs to and shows its own name, not its path id;
// - an arrow is written in the innermost composite that holds both ends (never inside a parallel
//   block, where it would land in one region);
// - a transition a compound state declares for its own descendants (the root's
//   `connection.reconnect`, valid from every state) starts at one "any state" pseudo-state in that
//   composite: one arrow per transition instead of one per state, and no arrow from a composite to
//   its own child, which neither renderer draws well;
// - transitions between the same two states share one arrow, a label line each (`<br/>`);
// - a transition with no target (actions only) changes no state and is not drawn; a `reenter`
//   self-transition is, as a loop.
// Order follows the definition (states, and the guarded transitions of one event, whose order is
// meaningful); the events leaving one state are sorted by label.

interface Edge {
  from: string;
  to: string;
  labels: string[];
}

/** What one composite (or the root) holds besides its child states. */
interface Block {
  edges: Edge[];
  pseudos: { id: string; name: string }[];
}

const INDENT = '  ';

export function toMermaid(machine: AnyStateMachine): string {
  const root = machine.root;
  const nodes = flatten(toDirectedGraph(machine));
  const allocator = new IdAllocator();
  const ids = allocateStateIds(root, nodes, allocator);
  const wrapRoot = root.type === 'parallel';

  const blocks = new Map<AnyStateNode, Block>();
  const blockOf = (node: AnyStateNode): Block => {
    let block = blocks.get(node);
    if (!block) blocks.set(node, (block = { edges: [], pseudos: [] }));
    return block;
  };
  const pseudoIds = new Map<AnyStateNode, string>();
  const pseudoOf = (node: AnyStateNode): string => {
    let id = pseudoIds.get(node);
    if (!id) {
      id = allocator.allocate([...(node === root ? ['root'] : node.path), 'any']);
      pseudoIds.set(node, id);
      blockOf(hostScope(node, root)).pseudos.push({ id, name: node === root ? 'any state' : `any ${node.key} state` });
    }
    return id;
  };

  for (const { stateNode: source, edges } of nodes) {
    const byEvent = new Map<string, { transition: AnyTransitionDefinition; target: AnyStateNode }[]>();
    for (const entry of [...edges, ...alwaysEdges(source)]) {
      if (!entry.transition.target) continue; // actions only: no state change to draw
      const event = eventLabel(entry.transition, source);
      byEvent.set(event, [...(byEvent.get(event) ?? []), entry]);
    }
    for (const event of [...byEvent.keys()].sort(compareEvents)) {
      for (const { transition, target } of byEvent.get(event)!) {
        const fromPseudo = source === root || (target !== source && isDescendant(target, source));
        const from = fromPseudo ? pseudoOf(source) : ids.get(source)!;
        const to = target === root && !wrapRoot ? pseudoOf(source) : ids.get(target)!;
        const scope = fromPseudo ? hostScope(source, root) : edgeScope(source, target, root);
        const label = transitionLabel(transition, source);
        // Several transitions between the same two states share one arrow, a label line each.
        const list = blockOf(scope).edges;
        const same = list.find((e) => e.from === from && e.to === to);
        if (!same) list.push({ from, to, labels: [label] });
        else if (!same.labels.includes(label)) same.labels.push(label);
      }
    }
  }

  const lines = [`%% ${machine.id}: generated from its XState definition by \`npm run viz\`; do not edit`, 'stateDiagram-v2'];
  if (wrapRoot) {
    lines.push(...renderPseudos(blocks.get(root), 1));
    lines.push(`${INDENT}state "${escapeName(root.key)}" as ${ids.get(root)} {`, ...renderChildren(root, 2, ids, blocks), `${INDENT}}`);
    lines.push(`${INDENT}[*] --> ${ids.get(root)}`);
    lines.push(...renderEdges(blocks.get(root)?.edges ?? [], 1));
  } else {
    lines.push(...renderChildren(root, 1, ids, blocks));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The Mermaid id of every state node the chart draws (the ids toMermaid writes, so the SVG's
 * `data-id`s): the viewer page maps a state path to its box through this.
 */
export function stateIds(machine: AnyStateMachine): Map<AnyStateNode, string> {
  return allocateStateIds(machine.root, flatten(toDirectedGraph(machine)), new IdAllocator());
}

/** State ids first, in graph order, so the pseudo-states allocated later never take a state's id. */
function allocateStateIds(root: AnyStateNode, nodes: readonly DirectedGraphNode[], allocator: IdAllocator): Map<AnyStateNode, string> {
  const ids = new Map<AnyStateNode, string>();
  for (const { stateNode } of nodes) if (stateNode !== root) ids.set(stateNode, allocator.allocate(stateNode.path));
  // A parallel root has no Mermaid equivalent at top level (`--` is only read inside a composite).
  if (root.type === 'parallel') ids.set(root, allocator.allocate([root.key]));
  return ids;
}

/** Declarations, initial and final arrows, then arrows, of one composite's (or the root's) children. */
function renderChildren(node: AnyStateNode, depth: number, ids: Map<AnyStateNode, string>, blocks: Map<AnyStateNode, Block>): string[] {
  const pad = INDENT.repeat(depth);
  const lines: string[] = [];
  const block = blocks.get(node);
  if (node.type !== 'parallel') lines.push(...renderPseudos(block, depth));
  const children = childrenOf(node);
  children.forEach((child, index) => {
    if (node.type === 'parallel' && index > 0) lines.push(`${pad}--`);
    const id = ids.get(child)!;
    const name = escapeName(displayName(child));
    if (childrenOf(child).length > 0) {
      lines.push(`${pad}state "${name}" as ${id} {`, ...renderChildren(child, depth + 1, ids, blocks), `${pad}}`);
    } else {
      lines.push(`${pad}state "${name}" as ${id}`);
    }
  });
  if (node.type === 'compound') {
    const initial = node.initial?.target?.[0];
    if (initial) lines.push(`${pad}[*] --> ${ids.get(initial)}`);
  }
  for (const child of children) {
    if (child.type === 'final') lines.push(`${pad}${ids.get(child)} --> [*]`);
  }
  if (node.type !== 'parallel') lines.push(...renderEdges(block?.edges ?? [], depth));
  return lines;
}

function renderPseudos(block: Block | undefined, depth: number): string[] {
  return (block?.pseudos ?? []).map((p) => `${INDENT.repeat(depth)}state "${escapeName(p.name)}" as ${p.id}`);
}

function renderEdges(edges: readonly Edge[], depth: number): string[] {
  const pad = INDENT.repeat(depth);
  return edges.map((e) => `${pad}${e.from} --> ${e.to} : ${e.labels.join('<br/>')}`);
}

function displayName(node: AnyStateNode): string {
  if (node.type === 'history') return (node as { history?: string }).history === 'deep' ? 'H*' : 'H';
  return node.key;
}

function flatten(graph: DirectedGraphNode): DirectedGraphNode[] {
  return [graph, ...graph.children.flatMap(flatten)];
}

function childrenOf(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states ?? {}) as AnyStateNode[];
}

/** `always` transitions, one entry per target, like the directed graph's edges. */
function alwaysEdges(node: AnyStateNode): { transition: AnyTransitionDefinition; target: AnyStateNode }[] {
  return (node.always ?? []).flatMap((transition) => (transition.target ?? []).map((target) => ({ transition, target })));
}

function isDescendant(node: AnyStateNode, ancestor: AnyStateNode): boolean {
  for (let n = node.parent; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/** The nearest composite that can hold arrows: a parallel state's arrows go to its parent. */
function hostScope(node: AnyStateNode, root: AnyStateNode): AnyStateNode {
  let scope = node;
  while (scope.type === 'parallel' && scope !== root && scope.parent) scope = scope.parent;
  return scope;
}

/** The innermost composite strictly containing both ends of an arrow. */
function edgeScope(source: AnyStateNode, target: AnyStateNode, root: AnyStateNode): AnyStateNode {
  let scope: AnyStateNode = source.parent ?? root;
  while (scope !== root && !(isDescendant(target, scope) && target !== scope)) scope = scope.parent ?? root;
  return hostScope(scope, root);
}

/** Events in plain code-unit order (the same on every machine and locale), eventless ones last. */
function compareEvents(a: string, b: string): number {
  const rank = (event: string) => (event === 'always' ? 1 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
