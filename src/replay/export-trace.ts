import { parseJournalJson, type JournalEntry, type JournalRepository } from '../store/journal.ts';
import { TRACE_VERSION, type Trace, type TraceStep } from './trace-format.ts';

/** The most steps one export holds; a longer range is cut here and marked `truncated`. */
export const MAX_TRACE_STEPS = 5000;

export interface TraceRange {
  from: number;
  to: number;
  /** At most this many steps (≤ MAX_TRACE_STEPS). */
  limit: number;
}

/**
 * The journal between `from` and `to` as a trace (src/replay/trace-format.ts). Each actor starts
 * where its last row before `from` left it; an actor with none starts where its first step in the
 * range says: its initial state and context when that step is its `xstate.init`, or the state it
 * left with an unknown context (replay then takes that step as not replayable).
 */
export function exportTrace(journal: JournalRepository, machines: Readonly<Record<string, string>>, range: TraceRange, now: number): Trace {
  const rows = journal.between(range.from, range.to, range.limit + 1);
  const truncated = rows.length > range.limit;
  const steps = rows.slice(0, range.limit).map(toStep);
  const actors: Trace['actors'] = {};
  const machineOf = (id: string) => machines[id] ?? id;
  for (const row of journal.lastBefore(range.from)) {
    actors[row.actorId] = { machine: machineOf(row.actorId), start: { state: row.toState, context: parseJournalJson(row.context) } };
  }
  for (const step of steps) {
    if (actors[step.actor]) continue;
    const init = step.from === null;
    actors[step.actor] = { machine: machineOf(step.actor), start: { state: init ? step.to : step.from, context: init ? step.context : null } };
  }
  return {
    version: TRACE_VERSION,
    exportedAt: new Date(now).toISOString(),
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    ...(truncated ? { truncated } : {}),
    actors,
    steps,
  };
}

function toStep(row: JournalEntry): TraceStep {
  const event = parseJournalJson(row.event);
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: row.actorId,
    // A row journaled before schema 4 has no payload: replay takes it as not replayable.
    event: event && typeof event.type === 'string' ? (event as TraceStep['event']) : { type: row.eventType, truncated: true },
    from: row.fromState,
    to: row.toState,
    context: parseJournalJson(row.context),
  };
}

/** A time as the trace route takes it: epoch milliseconds or an ISO 8601 date; undefined when it is neither. */
export function parseTraceTime(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d{1,15}$/.test(trimmed)) return Number(trimmed);
  // Date.parse takes many shapes; an ISO date is asked for, so only text that starts like one.
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}
