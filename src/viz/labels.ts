import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';

// How a transition reads on a chart: `event [guard]`. XState's internal event names are shortened
// to what the chart author wrote (`after untilRetry`, `done: runSync`), since the reader knows the
// machine, not the interpreter.

const AFTER = 'xstate.after.';

/** The event part of a transition's label; `always` for eventless transitions. */
export function eventLabel(transition: AnyTransitionDefinition, source: AnyStateNode): string {
  const type = transition.eventType;
  if (type === '') return 'always';
  if (type.startsWith(AFTER)) return `after ${delayName(transition, source)}`;
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (actor) return `${actor[1]}: ${actor[2]}`;
  const snapshot = /^xstate\.snapshot\.(.+)$/.exec(type);
  if (snapshot) return `snapshot: ${snapshot[1]}`;
  // onDone of a compound or parallel state: its own id, so the key says which one.
  if (type === `xstate.done.state.${source.id}`) return `done: ${source.key}`;
  return type;
}

/** A delayed transition's delay as written: its name (`connectTimeout`) or milliseconds (`500ms`). */
function delayName(transition: AnyTransitionDefinition, source: AnyStateNode): string {
  const delay = (transition as { delay?: unknown }).delay;
  if (typeof delay === 'number') return `${delay}ms`;
  if (typeof delay === 'string') return delay;
  // Fallback: the event is xstate.after.<delay>.<source id>.
  return transition.eventType.slice(AFTER.length, -(source.id.length + 1));
}

type GuardLike = string | { type?: unknown } | ((...args: never[]) => unknown) | undefined;

/** The guard's name as the chart wrote it, `not x`, `a and b`, or `inline guard` for an anonymous one. */
export function guardLabel(guard: GuardLike): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const nested = (guard as { guards?: GuardLike[] }).guards;
    if (Array.isArray(nested)) {
      const parts = nested.map((g) => guardLabel(g) ?? 'inline guard');
      if (guard.name === 'not') return `not ${parts[0]}`;
      if (guard.name === 'and' || guard.name === 'or') return parts.join(` ${guard.name} `);
    }
    return 'inline guard';
  }
  return typeof guard.type === 'string' ? guard.type : 'inline guard';
}

/** `event [guard]`, in Mermaid-safe characters. */
export function transitionLabel(transition: AnyTransitionDefinition, source: AnyStateNode): string {
  const guard = guardLabel(transition.guard as GuardLike);
  return escapeLabel(guard ? `${eventLabel(transition, source)} [${guard}]` : eventLabel(transition, source));
}

/**
 * Mermaid ends a transition label at `:`, `;` or a newline (its lexer reads `":"[^:\n;]+`), so a
 * colon becomes the look-alike RATIO sign (U+2236) and the others plain punctuation.
 */
export function escapeLabel(text: string): string {
  return text.replace(/:/g, '\u2236').replace(/;/g, ',').replace(/[\r\n]+/g, ' ');
}

/** A display name inside `state "…" as id`: everything but a double quote. */
export function escapeName(text: string): string {
  return text.replace(/"/g, "'").replace(/[\r\n]+/g, ' ');
}
