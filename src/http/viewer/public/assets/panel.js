// The panel of the selected actor: its state, a button per event it accepts now (derived from its
// chart by the agent), its last transitions and its sanitised context. Text only (textContent):
// nothing the agent sends is ever parsed as HTML.

const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function time(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString([], { hour12: false }) + `.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** One journal line: time, event, from → to. `data-id` is the journal id (newest first). */
function transitionItem(t) {
  const item = element('li', 'transition');
  if (t.id !== undefined) item.dataset.id = String(t.id);
  item.dataset.event = t.event;
  item.append(
    element('time', 'at', time(t.at)),
    element('span', 'event', t.event),
    element('span', 'move', `${t.from ?? '∅'} → ${t.to}`),
  );
  return item;
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

/** Fills the panel; `onEvent(type, payload)` is called when an event is sent. */
export function renderPanel(detail, transitions, onEvent) {
  $('panel-title').textContent = `${detail.id} (${detail.machine})`;
  $('panel-state').textContent = `${detail.state} · ${detail.status}`;

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

  $('panel-transitions').replaceChildren(...transitions.map(transitionItem));
  $('panel-context').textContent = JSON.stringify(detail.context, null, 2);
}

export function clearPanel() {
  for (const id of ['panel-title', 'panel-state', 'panel-result', 'panel-context']) $(id).textContent = '';
  for (const id of ['panel-events', 'panel-transitions']) $(id).replaceChildren();
}

/** The outcome of the last event sent (role=status, so screen readers hear it too). */
export function showResult(text, isError) {
  const result = $('panel-result');
  result.textContent = text;
  result.classList.toggle('error', Boolean(isError));
}
