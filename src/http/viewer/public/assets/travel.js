import { highlight, highlightPaths } from './diagram.js';
import { indexOfKey, pathsOf, stateAt, stepsBefore } from './history.js';
import { renderPastPanel } from './panel.js';
import { describeTime } from './time-format.js';
import { $ } from './dom.js';

// Time travel: the page shown as it was right after one past transition (every chart's active
// states, the selected actor's context and transitions then), under a banner with the way back to
// live. While it is on, the page sends nothing: the event buttons are gone and viewer.js refuses
// to send (the body's data-mode="past" also hides them by CSS).

const TRANSITIONS_SHOWN = 20;

/** Whether the page is showing the past. */
export const inPast = () => document.body.dataset.mode === 'past';

/**
 * Shows every actor as it was right after the step with `key`; `session` holds the actors (entries
 * with their chart and live detail), the history and the selected actor. Returns false when the
 * step is no longer in the history.
 */
export function showMoment(session, key) {
  const index = indexOfKey(session.history, key);
  if (index < 0) return false;
  const step = session.history.steps[index];
  const live = new Map([...session.actors.values()].filter((e) => e.detail).map((e) => [e.id, e.detail]));
  const moment = stateAt(session.history, index, [...session.actors.keys()], live);
  document.body.dataset.mode = 'past';
  for (const entry of session.actors.values()) {
    const then = moment.get(entry.id);
    entry.card.classList.add('past');
    entry.card.dataset.state = then.state ?? '';
    entry.card.querySelector('.state').textContent = then.state ?? 'not started then';
    if (entry.svg) highlightPaths(entry.svg, pathsOf(then.state));
  }
  const selected = session.actors.get(session.selected);
  if (selected) {
    renderPastPanel({
      id: selected.id,
      machine: selected.machine,
      moment: moment.get(selected.id),
      at: step.at,
      steps: stepsBefore(session.history, index, selected.id, TRANSITIONS_SHOWN),
    });
  }
  const shown = describeTime(step.at, Date.now());
  const banner = $('travel');
  banner.hidden = false;
  $('travel-text').textContent = `Viewing the past: ${shown.text}, right after ${step.actor} took ${step.type} (${step.from ?? '∅'} → ${step.to}). Read-only: nothing is sent.`;
  $('travel-text').title = shown.title;
  return true;
}

/** Back to live: every chart and card as the actors are now; the caller refreshes the panel. */
export function showLive(session) {
  document.body.dataset.mode = 'live';
  $('travel').hidden = true;
  for (const entry of session.actors.values()) {
    entry.card.classList.remove('past');
    if (!entry.detail) continue;
    entry.card.dataset.state = entry.detail.state;
    entry.card.querySelector('.state').textContent = entry.detail.state;
    if (entry.svg) highlight(entry.svg, entry.detail.value);
  }
}
