// Causal hints the runtime records: a `sync.catchUp` carries its `cause` (the trace's event
// payload): `socket.opened` when the connection (re)opened and asked for whatever was pushed while
// it was down, `seq.gap` when a push message skipped sequence numbers. Pure (no DOM), tested in Node.

export const OPENED = 'socket.opened';
export const SEQ_GAP = 'seq.gap';

/** A connection step that entered the open socket (from anywhere else). */
const opensSocket = (step) => step.actor === 'connection' && step.to.startsWith('link.open') && !(step.from ?? '').startsWith('link.open');

/** A step journaled this close after a catch-up still belongs to the same turn of the event loop. */
export const SAME_TURN_MS = 50;

/**
 * The hints among these steps (in journal order): `{kind, cause, effect}` with step keys. A
 * catch-up after a (re)open points at the step that opened the socket: the agent asks for the
 * catch-up from the connection's own subscriber, which runs before the open is journaled, so that
 * step is usually the next connection step at the same instant, else the last open before. One
 * after a seq gap has no step to point at (the gap is seen in a message, not a transition), so
 * `cause` is null.
 */
export function causalLinks(steps) {
  const links = [];
  let lastOpen = null;
  steps.forEach((step, index) => {
    if (opensSocket(step)) lastOpen = step;
    if (step.type !== 'sync.catchUp' || !step.cause) return;
    if (step.cause === OPENED) {
      const sameTurn = nextOpen(steps, index, step.at + SAME_TURN_MS);
      links.push({ kind: OPENED, cause: (sameTurn ?? lastOpen)?.key ?? null, effect: step.key });
    } else if (step.cause === SEQ_GAP) {
      links.push({ kind: SEQ_GAP, cause: null, effect: step.key });
    }
  });
  return links;
}

function nextOpen(steps, index, until) {
  for (let i = index + 1; i < steps.length && steps[i].at <= until; i += 1) {
    if (opensSocket(steps[i])) return steps[i];
  }
  return null;
}

/** What a hint says, for the step's marker and title. */
export function describeLink(link) {
  if (link.kind === OPENED) return link.cause ? 'catch-up: the socket (re)opened' : 'catch-up: the socket (re)opened (before this range)';
  return 'catch-up: a push message skipped seq numbers';
}
