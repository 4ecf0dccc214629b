// One actor's card in the charts grid.

/** The card of one actor: its name (a button selecting it), its state and its chart (drawn later). */
export function chartCard(actor, onSelect) {
  const article = document.createElement('article');
  article.className = 'chart-card';
  article.dataset.actor = actor.id;
  article.dataset.machine = actor.machine;
  const header = document.createElement('header');
  const select = document.createElement('button');
  select.type = 'button';
  select.className = 'select';
  select.textContent = actor.id;
  select.setAttribute('aria-pressed', 'false');
  select.addEventListener('click', () => onSelect(actor.id));
  const state = document.createElement('span');
  state.className = 'state';
  state.textContent = actor.state;
  const chart = document.createElement('div');
  chart.className = 'chart';
  chart.textContent = 'drawing…';
  header.append(select, state);
  article.append(header, chart);
  return article;
}
