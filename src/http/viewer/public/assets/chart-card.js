import { element } from './dom.js';

// One actor's card in the charts grid.

/** The card of one actor: its name (a button selecting it), its state and its chart (drawn later). */
export function chartCard(actor, onSelect) {
  const article = element('article', 'chart-card');
  article.dataset.actor = actor.id;
  article.dataset.machine = actor.machine;
  const header = element('header');
  const select = element('button', 'select', actor.id);
  select.type = 'button';
  select.setAttribute('aria-pressed', 'false');
  select.addEventListener('click', () => onSelect(actor.id));
  const state = element('span', 'state', actor.state);
  const chart = element('div', 'chart', 'drawing…');
  header.append(select, state);
  article.append(header, chart);
  return article;
}
