import { contextList } from './context-view.js';
import { describeTime, formatClock } from './time-format.js';
import { $, element } from './dom.js';

// The panel of the selected actor: its state, a button per event it accepts now (derived from its
// chart by the agent), its last transitions and its sanitised context; or, while the page looks at
// the past, the same as it was then, with no button at all. Text only (textContent): nothing the
// agent sends is ever parsed as HTML.

/** A step's time: the clock to the millisecond, the date and how long ago in the title. */
function stepTime(at, now) {
  const node = element('time', 'at', formatClock(at));
  const shown = describeTime(at, now);
  node.dateTime = shown.iso;
  node.title = `${shown.text} · ${shown.title}`;
  return node;
}

/** One journal line (a history step): time, event, from → to. `data-id` is the journal id (newest first). */
function transitionItem(step, now) {
  const item = element('li', 'transition');
  if (step.id !== null) item.dataset.id = String(step.id);
  item.dataset.event = step.type;
  item.append(
    stepTime(step.at, now),
    element('span', 'event', step.type),
    element('span', 'move', `${step.from ?? '∅'} → ${step.to}`),
  );
  return item;
}

function showContext(context, now) {
  $('panel-context').replaceChildren(context
    ? contextList(context, now)
    : element('p', 'muted', 'not recorded for this moment (the journal kept no context then)'));
}

/** One control per payload field, as the agent describes them (integer, string, choice). */
function fieldControl(field) {
  const label = element('label', 'field');
  label.append(element('span', 'field-name', field.required ? field.name : `${field.name} (optional)`));
  let control;
  if (field.kind === 'choice') {
    control = document.createElement('select');
    if (!field.required) control.append(new Option('', ''));
    for (const choice of field.choices ?? []) control.append(new Option(choice, choice));
  } else {
    control = document.createElement('input');
    control.type = field.kind === 'integer' ? 'number' : 'text';
    if (field.kind === 'integer') control.step = '1';
  }
  control.name = field.name;
  control.required = field.required;
  label.append(control);
  return label;
}

/** A small form for an event that needs a payload; submitting calls `onEvent(type, payload)`. */
function eventForm(type, fields, onEvent) {
  const form = element('form', 'event-form');
  form.dataset.event = type;
  form.hidden = true;
  const submit = element('button', 'event-send', `send ${type}`);
  submit.type = 'submit';
  form.append(...fields.map(fieldControl), submit);
  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault(); // never a navigation: the page sends it through the admin API
    const payload = {};
    for (const field of fields) {
      const value = form.elements.namedItem(field.name).value.trim();
      if (value === '') continue;
      payload[field.name] = field.kind === 'integer' ? Number(value) : value;
    }
    onEvent(type, payload);
  });
  return form;
}

/** Fills the panel with the actor now; `steps` newest first; `onEvent(type, payload)` sends an event. */
export function renderPanel(detail, steps, onEvent) {
  $('panel-title').textContent = `${detail.id} (${detail.machine})`;
  $('panel-state').textContent = `${detail.state} · ${detail.status}`;
  $('panel-events-title').textContent = 'Events it accepts now';

  const forms = [];
  const buttons = detail.accepts.map((type) => {
    const button = element('button', 'event-button', type);
    button.type = 'button';
    button.dataset.event = type;
    const fields = detail.fields?.[type] ?? [];
    if (fields.length === 0) {
      button.addEventListener('click', () => onEvent(type, {}));
    } else {
      // An event with a payload opens its form instead of sending at once.
      const form = eventForm(type, fields, onEvent);
      forms.push(form);
      button.setAttribute('aria-expanded', 'false');
      button.addEventListener('click', () => {
        form.hidden = !form.hidden;
        button.setAttribute('aria-expanded', String(!form.hidden));
      });
    }
    return button;
  });
  const events = $('panel-events');
  events.replaceChildren(...(buttons.length > 0 ? [...buttons, ...forms] : [element('span', 'muted', 'none in this state')]));

  const now = Date.now();
  $('panel-transitions').replaceChildren(...steps.map((step) => transitionItem(step, now)));
  showContext(detail.context, now);
}

/**
 * Fills the panel with the actor as it was at a past moment (`moment`: its state and context then,
 * `at`: the moment's time, `steps`: its transitions up to then, newest first). No event can be sent
 * from here: the past is read-only. Relative times are measured from the moment shown.
 */
export function renderPastPanel({ id, machine, moment, at, steps }) {
  $('panel-title').textContent = `${id} (${machine})`;
  $('panel-state').textContent = `${moment.state ?? 'unknown'} · as at ${formatClock(at)}`;
  $('panel-events-title').textContent = 'Events';
  $('panel-events').replaceChildren(element('span', 'muted read-only', 'none: this is the past, read-only (back to live to send events)'));
  $('panel-result').textContent = '';
  $('panel-transitions').replaceChildren(...steps.map((step) => transitionItem(step, at)));
  showContext(moment.context, at);
}

export function clearPanel() {
  for (const id of ['panel-title', 'panel-state', 'panel-result']) $(id).textContent = '';
  for (const id of ['panel-events', 'panel-transitions', 'panel-context']) $(id).replaceChildren();
}

/** The outcome of the last event sent (role=status, so screen readers hear it too). */
export function showResult(text, isError) {
  const result = $('panel-result');
  result.textContent = text;
  result.classList.toggle('error', Boolean(isError));
}
