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

/** Fills the panel; `onEvent(type)` is called when an event button is pressed. */
export function renderPanel(detail, transitions, onEvent) {
  $('panel-title').textContent = `${detail.id} (${detail.machine})`;
  $('panel-state').textContent = `${detail.state} · ${detail.status}`;

  const buttons = detail.accepts.map((type) => {
    const button = element('button', 'event-button', type);
    button.type = 'button';
    button.dataset.event = type;
    button.addEventListener('click', () => onEvent(type));
    return button;
  });
  const events = $('panel-events');
  events.replaceChildren(...(buttons.length > 0 ? buttons : [element('span', 'muted', 'none in this state')]));

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
