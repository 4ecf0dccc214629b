import { causalLinks, describeLink, OPENED } from './causes.js';
import { eventTypes, NOT_INTERNAL, visibleSteps } from './timeline-filter.js';
import { describeFields, describeTime, formatClock, fromLocalInput, toLocalInput } from './time-format.js';
import { drawArrows } from './timeline-arrows.js';
import { $, element } from './dom.js';

// The timeline: every actor's transitions side by side, a lane per actor, time flowing down, with
// causal hints, filters (actor, event type, time range) and a selectable row per transition (the
// page then shows that moment: travel.js). Text only (textContent).

/**
 * `actors`: the lanes, in order ({id}); `onSelect(key)` when a transition is chosen; `onRange(from,
 * to)` when the operator asks for another time range (epoch ms or null). Returns `render(history,
 * selectedKey)`, which redraws at the next frame, and `range()`, the range asked for.
 */
export function createTimeline({ actors, onSelect, onRange, initialFrom }) {
  const filter = { hidden: new Set(), type: '', from: initialFrom, to: null };
  let latest = null;
  let scheduled = false;
  // Live, the newest rows stay in sight unless the operator scrolled up to read older ones.
  let followNewest = true;
  $('timeline-scroll').addEventListener('scroll', () => {
    const scroll = $('timeline-scroll');
    followNewest = scroll.scrollTop + scroll.clientHeight >= scroll.scrollHeight - 24;
  }, { passive: true });

  const lanes = $('timeline-actors');
  lanes.replaceChildren(...actors.map(({ id }) => {
    const label = element('label', 'lane-choice');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.value = id;
    box.addEventListener('change', () => {
      if (box.checked) filter.hidden.delete(id);
      else filter.hidden.add(id);
      schedule();
    });
    label.append(box, ` ${id}`);
    return label;
  }));
  $('timeline-type').addEventListener('change', (event) => {
    filter.type = event.target.value;
    schedule();
  });
  $('timeline-from').value = toLocalInput(filter.from);
  $('timeline-to').value = '';
  $('timeline-range').addEventListener('submit', (event) => {
    event.preventDefault(); // never a navigation
    const from = fromLocalInput($('timeline-from').value);
    const to = fromLocalInput($('timeline-to').value);
    if (from !== null && to !== null && from > to) {
      $('timeline-summary').textContent = '"From" must not be after "To"';
      return;
    }
    filter.from = from;
    filter.to = to;
    onRange(from, to);
  });
  // Up and down move through the rows shown, as a list would.
  $('timeline-rows').addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const rows = [...$('timeline-rows').querySelectorAll('.tl-row')];
    const at = rows.findIndex((row) => row.classList.contains('selected'));
    const next = rows[event.key === 'ArrowDown' ? at + 1 : Math.max(0, at - 1)];
    if (!next) return;
    event.preventDefault();
    onSelect(next.dataset.key); // the redraw puts the focus on the new selection
  });
  new ResizeObserver(() => schedule()).observe($('timeline-scroll'));

  function schedule() {
    if (scheduled || !latest) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      draw(latest.history, latest.selected);
    });
  }

  function draw(history, selected) {
    const shown = actors.filter(({ id }) => !filter.hidden.has(id));
    const lane = new Map(shown.map(({ id }, i) => [id, i]));
    const { rows, matched } = visibleSteps(history.steps, filter);
    const links = causalLinks(history.steps);
    const linkOf = new Map(links.map((link) => [link.effect, link]));

    $('timeline-grid').style.setProperty('--lanes', String(Math.max(1, shown.length)));
    $('timeline-lanes').replaceChildren(element('span', 'tl-at muted', 'time'), ...shown.map(({ id }) => element('span', 'tl-lane', id)));
    const now = Date.now();
    const focused = $('timeline-rows').contains(document.activeElement);
    $('timeline-rows').replaceChildren(...rows.map((step) => row(step, lane, shown.length, linkOf.get(step.key), step.key === selected, now)));
    // Redrawn rows are new elements: the keyboard stays on the selected one.
    const chosen = focused ? $('timeline-rows').querySelector('.tl-row.selected .tl-step') : null;
    if (chosen) {
      chosen.focus({ preventScroll: true });
      chosen.scrollIntoView({ block: 'nearest' });
    }
    drawArrows($('timeline-arrows'), $('timeline-body'), links.filter((link) => link.kind === OPENED && link.cause));

    updateTypes(history);
    const range = `${filter.from === null ? 'the oldest kept' : formatClock(filter.from, false)} – ${filter.to === null ? 'now, live' : formatClock(filter.to, false)}`;
    $('timeline-summary').textContent = `${matched} transition${matched === 1 ? '' : 's'} · ${range}${matched > rows.length ? ` · the newest ${rows.length} shown` : ''}${history.note ? ` · ${history.note}` : ''}`;
    if (followNewest && !selected) $('timeline-scroll').scrollTop = $('timeline-scroll').scrollHeight;
  }

  function row(step, lane, laneCount, link, selected, now) {
    const line = element('div', selected ? 'tl-row selected' : 'tl-row');
    line.dataset.key = step.key;
    line.dataset.actor = step.actor;
    line.dataset.event = step.type;
    if (step.id !== null) line.dataset.id = String(step.id);
    const shown = describeTime(step.at, now);
    const at = element('time', 'tl-at', formatClock(step.at));
    at.dateTime = shown.iso;
    at.title = `${shown.text} · ${shown.title}`;
    line.append(at);
    for (let i = 0; i < laneCount; i += 1) {
      if (i !== lane.get(step.actor)) {
        line.append(element('span', 'tl-gap'));
        continue;
      }
      const button = element('button', 'tl-step');
      button.type = 'button';
      button.setAttribute('aria-pressed', String(selected));
      button.title = `${step.actor}: ${describeFields(step.event, step.at)}\n\nclick to see every actor as it was right after this transition`;
      button.append(element('span', 'tl-event', step.type), element('span', 'tl-move', `${step.from ?? '∅'} → ${step.to}`));
      if (link) {
        const hint = element('span', `tl-cause tl-cause-${link.kind.replace('.', '-')}`, link.kind === OPENED ? '↖ after socket open' : '⚠ after seq gap');
        hint.title = describeLink(link);
        button.append(hint);
      }
      button.addEventListener('click', () => onSelect(step.key));
      line.append(button);
    }
    return line;
  }

  function updateTypes(history) {
    const select = $('timeline-type');
    const types = eventTypes(history.steps);
    if (filter.type && filter.type !== NOT_INTERNAL && !types.includes(filter.type)) types.push(filter.type);
    const wanted = ['', ...types].join('\n');
    if (select.dataset.types === wanted) return;
    select.dataset.types = wanted;
    select.replaceChildren(new Option('every event', ''), new Option('all but xstate.* (results, timers)', NOT_INTERNAL), ...types.map((type) => new Option(type, type)));
    select.value = filter.type;
  }

  return {
    render(history, selected) {
      latest = { history, selected };
      schedule();
    },
    /** The time range asked for: what to load, and which streamed rows belong in it. */
    range: () => ({ from: filter.from, to: filter.to }),
  };
}
