// Which steps the timeline shows: by actor, event type and time range. Pure (no DOM), tested in Node.

/** At most this many rows are drawn; the newest are kept (narrow the range to see older ones). */
export const MAX_ROWS = 400;

/** The event filter's choice that leaves out the machines' own events (actor results, timers, init). */
export const NOT_INTERNAL = '!xstate.*';

const typeMatches = (wanted, type) => wanted === '' || (wanted === NOT_INTERNAL ? !type.startsWith('xstate.') : type === wanted);

/**
 * `filter`: `{hidden: Set of actor ids, type: '' (all), NOT_INTERNAL or an event type, from, to:
 * epoch ms or null}`.
 * Returns `{rows, matched}`: the newest MAX_ROWS matching steps (oldest first) and how many matched.
 */
export function visibleSteps(steps, filter, max = MAX_ROWS) {
  const matched = steps.filter((step) =>
    !filter.hidden.has(step.actor)
    && typeMatches(filter.type, step.type)
    && (filter.from === null || step.at >= filter.from)
    && (filter.to === null || step.at <= filter.to));
  return { rows: matched.slice(-max), matched: matched.length };
}

/** Every event type among the steps, sorted, for the filter's choices. */
export function eventTypes(steps) {
  return [...new Set(steps.map((step) => step.type))].sort();
}
