import { describeTime, isTimeField } from './time-format.js';
import { element } from './dom.js';

// An actor's context as a list of fields, with every epoch-ms time shown as a local date-time and
// how far it is from the moment shown ("in 12 s", "3 min ago"); the raw number stays in the title.
// Text only (textContent): nothing the agent sends is parsed as HTML.

function timeElement(ms, now) {
  const shown = describeTime(ms, now);
  const node = element('time', 'epoch');
  node.dateTime = shown.iso;
  node.title = shown.title;
  node.dataset.epoch = String(ms);
  node.textContent = shown.text;
  return node;
}

function valueElement(key, value, now) {
  if (isTimeField(key, value)) return timeElement(value, now);
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) return contextList(value, now);
  return element('span', value === null ? 'value muted' : 'value', JSON.stringify(value));
}

/** `<dl>` of the fields; nested objects become nested lists, so their times read the same way. */
export function contextList(context, now) {
  const list = element('dl', 'fields');
  for (const [key, value] of Object.entries(context)) {
    const name = element('dt', '', key);
    const cell = element('dd');
    cell.append(valueElement(key, value, now));
    list.append(name, cell);
  }
  return list;
}

/** Says again how far each time under `root` is from `now` (the page calls it every second while live). */
export function refreshRelative(root, now) {
  for (const node of root.querySelectorAll('time[data-epoch]')) node.textContent = describeTime(Number(node.dataset.epoch), now).text;
}
