// The transitions the page knows, all actors together, in the order the agent journaled them, and
// what every actor looked like at any one of them (time travel). Pure (no DOM), tested in Node.
//
// Rows come from three places: GET /api/admin/trace (steps with the context after each), the
// per-actor journal route and the SSE stream (rows journaled by older agents have no payload and no
// context). Each is read as a step:
// { key, id, at (epoch ms), actor, type, event {type, …}, from, to, context (or null), cause }.

const isEvent = (value) => Boolean(value) && typeof value === 'object' && typeof value.type === 'string';

/** One row, whatever route it came from, as a step; null when it is not a transition. */
export function toStep(row) {
  if (!row || typeof row !== 'object' || typeof row.actor !== 'string' || typeof row.to !== 'string') return null;
  // The journal route and the stream send the type as `event` and the event itself as `payload`
  // (null in rows journaled before payloads were); a trace sends the event itself as `event`.
  const event = isEvent(row.payload) ? row.payload : isEvent(row.event) ? row.event : typeof row.event === 'string' ? { type: row.event } : null;
  if (!event) return null;
  const at = typeof row.at === 'number' ? row.at : Date.parse(row.at);
  if (!Number.isFinite(at)) return null;
  const id = Number.isInteger(row.id) ? row.id : null;
  const from = typeof row.from === 'string' ? row.from : null;
  // What the transition was, whichever route sent it: a streamed row without a journal id is the
  // journal's row with the same signature.
  const signature = `${at}|${row.actor}|${event.type}|${from}|${row.to}`;
  return {
    key: id !== null ? `#${id}` : signature,
    signature,
    id,
    at,
    actor: row.actor,
    type: event.type,
    event,
    from,
    to: row.to,
    context: row.context && typeof row.context === 'object' ? row.context : null,
    cause: typeof event.cause === 'string' ? event.cause : null,
  };
}

/**
 * An empty history; `starts` is each actor's `{state, context}` before the first step (trace);
 * `note` says what the history lacks, if anything (shown beside the timeline).
 */
export function createHistory() {
  return { steps: [], keys: new Set(), signatures: new Map(), starts: new Map(), note: '' };
}

/**
 * Adds rows; a step already known is skipped. Steps with a journal id sit in id order (the stream
 * may deliver a row the trace answer also held); steps without one go last, as they came, until the
 * same transition arrives with its id and takes their place. Returns the steps added.
 */
export function addRows(history, rows) {
  const added = [];
  const { steps, keys, signatures } = history;
  for (const row of rows) {
    const step = toStep(row);
    if (!step || keys.has(step.key)) continue;
    const twin = signatures.get(step.signature);
    if (twin && step.id === null) continue; // nothing new: the same transition
    if (twin && twin.id === null) {
      steps.splice(steps.indexOf(twin), 1); // the id-less copy gives way to the journal's row
      keys.delete(twin.key);
    }
    keys.add(step.key);
    signatures.set(step.signature, step);
    added.push(step);
    let at = steps.length;
    if (step.id !== null) while (at > 0 && (steps[at - 1].id === null || steps[at - 1].id > step.id)) at -= 1;
    steps.splice(at, 0, step);
  }
  return added;
}

/** Records each actor's state and context before the history's first step (a trace's `actors`). */
export function setStarts(history, actors) {
  for (const [id, actor] of Object.entries(actors ?? {})) {
    if (actor && actor.start && typeof actor.start.state === 'string') {
      history.starts.set(id, { state: actor.start.state, context: actor.start.context ?? null });
    }
  }
}

export function indexOfKey(history, key) {
  return history.steps.findIndex((step) => step.key === key);
}

/**
 * Every actor as it was right after step `index`: `{state, context, step}` per actor id. Where the
 * history says nothing (no step of that actor before `index`), the state is the one its next step
 * left, or its recorded start; with no step at all after `index`, it is still as it is `live` now.
 * `context` is null where it was not recorded (journal rows from before payload recording).
 */
export function stateAt(history, index, actorIds, live = new Map()) {
  const out = new Map();
  for (const id of actorIds) {
    let before = null;
    let after = null;
    for (let i = index; i >= 0; i -= 1) {
      if (history.steps[i]?.actor === id) {
        before = history.steps[i];
        break;
      }
    }
    if (!before) after = history.steps.find((step, i) => i > index && step.actor === id) ?? null;
    const start = history.starts.get(id);
    const now = live.get(id);
    if (before) out.set(id, { state: before.to, context: before.context, step: before });
    else if (start) out.set(id, { state: start.state, context: start.context, step: null });
    else if (after) out.set(id, { state: after.from, context: null, step: null });
    else out.set(id, { state: now?.state ?? null, context: now?.context ?? null, step: null });
  }
  return out;
}

/** An actor's steps up to and including `index`, newest first, at most `limit`. */
export function stepsBefore(history, index, actorId, limit) {
  const out = [];
  for (let i = index; i >= 0 && out.length < limit; i -= 1) {
    if (history.steps[i].actor === actorId) out.push(history.steps[i]);
  }
  return out;
}

/**
 * The active state paths a state string names, ancestors included: `link.open` → ['link',
 * 'link.open']; a parallel value written `a.x,b.y` gives the paths of each region.
 */
export function pathsOf(state) {
  if (typeof state !== 'string' || state === '') return [];
  return state.split(',').flatMap((region) => region.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')));
}

/** Keeps the newest `limit` steps (a page left open on a busy agent must not grow without end). */
export function keepLast(history, limit) {
  if (history.steps.length <= limit) return;
  for (const step of history.steps.splice(0, history.steps.length - limit)) {
    history.keys.delete(step.key);
    if (history.signatures.get(step.signature) === step) history.signatures.delete(step.signature);
  }
}
