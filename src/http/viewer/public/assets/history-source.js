import { ApiError, getTrace, getTransitions } from './api.js';

// Where the timeline's past comes from: the trace route (every actor's steps in a time range, with
// the context after each and each actor's state at the start), or, from an agent without it, each
// actor's last journal rows (no context: time travel then shows states only).

const JOURNAL_ROWS = 1000; // the journal route's maximum

/** `{rows, actors, source}` for the range (epoch ms or null). */
export async function loadHistory(token, actorIds, { from, to }) {
  try {
    const trace = await getTrace(token, from, to);
    return { rows: trace.steps ?? [], actors: trace.actors ?? {}, source: 'trace' };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const lists = await Promise.all(actorIds.map((id) => getTransitions(token, id, JOURNAL_ROWS)));
  return { rows: lists.flat(), actors: {}, source: 'journal' };
}
