import { ApiError, getTrace, getTransitions } from './api.js';

// Where the timeline's past comes from: the trace route (every actor's steps in a time range, with
// the context after each and each actor's state at the start), or, from an agent without it, each
// actor's last journal rows (no context: time travel then shows states only).

const JOURNAL_ROWS = 1000; // the journal route's maximum
const TRACE_PAGES = 4; // a trace answer holds at most 5000 steps: up to 20,000 in all

/**
 * `{rows, actors, source, truncated}` for the range (epoch ms or null: from the oldest kept, up to
 * now). A trace answer cut short (`truncated`) is continued from its last step's time (the journal
 * ids make the overlap harmless), a few pages at most.
 */
export async function loadHistory(token, actorIds, { from, to }) {
  // A range that starts later than now holds nothing yet: the stream fills it when its time comes.
  if (from !== null && from > (to ?? Date.now())) return { rows: [], actors: {}, source: 'trace', truncated: false };
  try {
    const rows = [];
    let actors = null;
    let cursor = from ?? 0;
    for (let page = 0; page < TRACE_PAGES; page += 1) {
      const trace = await getTrace(token, cursor, to);
      actors ??= trace.actors ?? {};
      rows.push(...(trace.steps ?? []));
      const last = trace.steps?.at(-1);
      if (!trace.truncated || !last) return { rows, actors, source: 'trace', truncated: false };
      cursor = Date.parse(last.at);
    }
    return { rows, actors, source: 'trace', truncated: true };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const lists = await Promise.all(actorIds.map((id) => getTransitions(token, id, JOURNAL_ROWS)));
  return { rows: lists.flat(), actors: {}, source: 'journal', truncated: false };
}
