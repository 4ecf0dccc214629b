import { ApiError, getActor, getDiagram, getTransitions, listActors, sendEvent } from './api.js';
import { followTransitions } from './stream.js';
import { chartElement, highlight } from './diagram.js';
import { clearPanel, renderPanel, showResult } from './panel.js';
import { forgetToken, loadToken, saveToken } from './token.js';
import { addRows, createHistory, keepLast, setStarts, toStep } from './history.js';
import { loadHistory } from './history-source.js';
import { createTimeline } from './timeline.js';
import { inPast, showLive, showMoment } from './travel.js';
import { refreshRelative } from './context-view.js';
import { chartCard } from './chart-card.js';
import { $ } from './dom.js';

// The live viewer: every actor's chart with its active states marked, kept current from the
// transition stream, a panel for the selected actor, and the timeline of every actor's transitions.
// After each streamed transition the page asks the agent for the actor's state again (the stream
// says that something changed; the actor route says where the actor is now, with the events it
// accepts there). Choosing a past transition shows that moment instead (travel.js), read-only.

const TRANSITIONS_SHOWN = 20;
const HISTORY_KEPT = 20_000;
const FIRST_RANGE_MS = 60 * 60_000; // the timeline opens on the last hour
/**
 * The signed-in view: token, actors by id, the selected one, the stream's abort switch, the
 * history of transitions with its timeline (and the rows streamed while a range loads), and the
 * past step shown (null: live).
 */
let session = null;

function setLive(status, text) {
  const live = $('live');
  live.dataset.status = status;
  live.textContent = text;
}

function showLogin(message = '') {
  $('viewer').hidden = true;
  $('forget').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  setLive('off', '');
  $('token').focus();
}

function signOut(message = '') {
  session?.abort.abort();
  if (session) showLive(session);
  session = null;
  forgetToken();
  $('charts').replaceChildren();
  clearPanel();
  showLogin(message);
}

/** Whatever went wrong, said once; a refused token ends the session. */
function report(error) {
  if (error instanceof ApiError && error.status === 401) return signOut('The agent refused the token; enter it again.');
  if (error instanceof ApiError && error.status === 503) return signOut(error.message);
  setLive('error', error instanceof ApiError ? error.message : 'cannot reach the agent');
}

async function start(token, list) {
  const current = { token, actors: new Map(), selected: null, abort: new AbortController(), history: createHistory(), pending: null, past: null, timeline: null };
  current.timeline = createTimeline({
    actors: list,
    initialFrom: Date.now() - FIRST_RANGE_MS,
    onSelect: (key) => travelTo(current, key),
    onRange: () => reloadHistory(current),
  });
  session = current;
  $('login').hidden = true;
  $('viewer').hidden = false;
  $('forget').hidden = false;
  setLive('connecting', 'connecting…');
  const charts = $('charts');
  charts.replaceChildren();
  const drawings = new Map();
  for (const summary of list) {
    const entry = { id: summary.id, machine: summary.machine, card: chartCard(summary, selectActor), svg: null, value: null, detail: null, refreshing: null, dirty: false };
    current.actors.set(summary.id, entry);
    charts.append(entry.card);
    if (!drawings.has(summary.machine)) drawings.set(summary.machine, getDiagram(token, summary.machine));
    drawings.get(summary.machine).then((text) => {
      if (session !== current) return;
      entry.svg = chartElement(text);
      entry.card.querySelector('.chart').replaceChildren(entry.svg);
      if (current.past !== null) showMoment(current, current.past);
      else if (entry.value !== null) highlight(entry.svg, entry.value);
    }).catch((error) => {
      entry.card.querySelector('.chart').textContent = `no chart: ${error.message}`;
    });
  }
  const wanted = decodeURIComponent(location.hash.slice(1));
  selectActor(current.actors.has(wanted) ? wanted : list[0]?.id);
  follow(current);
}

function selectActor(id) {
  if (!session || id === undefined) return;
  session.selected = id;
  for (const entry of session.actors.values()) {
    entry.card.classList.toggle('selected', entry.id === id);
    entry.card.querySelector('.select').setAttribute('aria-pressed', String(entry.id === id));
  }
  history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  if (session.past !== null) return void showMoment(session, session.past);
  clearPanel();
  refresh(id);
}

/** Shows the page as it was right after the step with `key` (read-only until back to live). */
function travelTo(current, key) {
  if (session !== current || !showMoment(current, key)) return;
  current.past = key;
  current.timeline.render(current.history, key);
}

function backToLive() {
  const current = session;
  if (!current || current.past === null) return;
  current.past = null;
  showLive(current);
  current.timeline.render(current.history, null);
  if (current.selected !== null) {
    clearPanel();
    refresh(current.selected);
  }
}

/**
 * Loads the timeline's range anew. The history on screen stays until the answer is in; rows the
 * stream brings meanwhile are kept aside too and join the new history (each once).
 */
async function reloadHistory(current) {
  const pending = [];
  current.pending = pending;
  const fresh = createHistory();
  try {
    const loaded = await loadHistory(current.token, [...current.actors.keys()], current.timeline.range());
    if (session !== current || current.pending !== pending) return; // a later load took over
    addRows(fresh, loaded.rows);
    setStarts(fresh, loaded.actors);
    if (loaded.truncated) fresh.note = 'more transitions than the page loads (20,000): the first of the range shown, then live ones; narrow the range';
    else if (loaded.source === 'journal') fresh.note = 'this agent has no trace route: each actor\'s last 1000 transitions, no context';
  } catch (error) {
    if (session !== current || current.pending !== pending) return;
    // A range the agent refuses is said beside the timeline; the page itself stays live.
    if (error instanceof ApiError && error.status === 400) {
      fresh.note = error.message;
    } else {
      current.pending = null; // the history on screen stays
      return void report(error);
    }
  }
  addRows(fresh, pending);
  keepLast(fresh, HISTORY_KEPT);
  current.pending = null;
  // A streamed row shown in the past has a journal id now: the same transition, another key.
  const shown = current.past === null ? undefined : current.history.steps.find((step) => step.key === current.past);
  if (shown) current.past = fresh.signatures.get(shown.signature)?.key ?? current.past;
  current.history = fresh;
  // The step shown may not be in the new range: then the page goes back to live.
  if (current.past !== null && !showMoment(current, current.past)) backToLive();
  current.timeline.render(fresh, current.past);
}

/** Refreshes one actor; calls arriving while one runs are folded into one more run after it. */
function refresh(id) {
  const current = session;
  const entry = current?.actors.get(id);
  if (!entry) return;
  if (entry.refreshing) {
    entry.dirty = true;
    return;
  }
  entry.refreshing = (async () => {
    do {
      entry.dirty = false;
      try {
        await refreshOnce(current, entry);
      } catch (error) {
        if (session === current) report(error);
        break;
      }
    } while (entry.dirty && session === current);
    entry.refreshing = null;
  })();
}

async function refreshOnce(current, entry) {
  const detail = await getActor(current.token, entry.id);
  if (session !== current) return;
  entry.value = detail.value;
  entry.detail = detail;
  if (current.past !== null) return; // the page shows the past: the live state waits for "back to live"
  entry.card.dataset.state = detail.state;
  entry.card.querySelector('.state').textContent = detail.state;
  if (entry.svg) highlight(entry.svg, detail.value);
  if (current.selected !== entry.id) return;
  const rows = await getTransitions(current.token, entry.id, TRANSITIONS_SHOWN);
  if (session === current && current.selected === entry.id && current.past === null) {
    renderPanel(detail, rows.map(toStep).filter(Boolean), (type, payload) => send(entry.id, type, payload));
  }
}

async function send(id, type, payload) {
  const current = session;
  // The past is read-only: whatever was clicked, nothing leaves the page while it is shown.
  if (!current || current.past !== null || inPast()) return;
  for (const button of document.querySelectorAll('#panel-events button')) button.disabled = true;
  try {
    const outcome = await sendEvent(current.token, id, type, payload);
    showResult(`${type} accepted: ${id} is now ${outcome.state}`, false);
  } catch (error) {
    if (error instanceof ApiError && error.status !== 401 && error.status !== 503) showResult(`${type}: ${error.message}`, true);
    else report(error);
  }
  refresh(id); // the stream will say so too; this also re-enables the buttons
}

/** Follows the transition stream; every (re)connection re-reads all actors and reloads the timeline's range. */
function follow(current) {
  return followTransitions(current.token, {
    signal: current.abort.signal,
    isCurrent: () => session === current,
    onOpen: () => {
      setLive('live', 'live');
      // Subscribed first, read second: no transition can fall between the two.
      for (const id of current.actors.keys()) refresh(id);
      reloadHistory(current);
    },
    onTransition: (transition) => {
      if (session !== current) return;
      current.pending?.push(transition);
      if (addRows(current.history, [transition]).length > 0) {
        keepLast(current.history, HISTORY_KEPT);
        current.timeline.render(current.history, current.past);
      }
      refresh(transition.actor);
    },
    onLost: (waitMs) => setLive('reconnecting', `stream lost; reconnecting in ${waitMs / 1000} s`),
    onRefused: report,
  });
}

async function signIn(token) {
  try {
    const list = await listActors(token);
    saveToken(token);
    await start(token, list);
  } catch (error) {
    forgetToken();
    if (error instanceof ApiError && error.status === 401) showLogin('The agent refused this token.');
    else if (error instanceof ApiError) showLogin(error.message);
    else showLogin('Cannot reach the agent.');
  }
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('token');
  const token = input.value.trim();
  input.value = '';
  if (token) signIn(token);
});
$('forget').addEventListener('click', () => signOut());
$('back-to-live').addEventListener('click', backToLive);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') backToLive();
});
// Relative times ("in 12 s") move on while live; in the past they are measured from the moment shown.
setInterval(() => {
  if (session && session.past === null) refreshRelative($('panel-context'), Date.now());
}, 1000);

const saved = loadToken();
if (saved) signIn(saved);
else showLogin();
