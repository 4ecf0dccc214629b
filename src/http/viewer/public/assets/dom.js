// The two DOM helpers every part of the page uses. Text goes in through textContent only: nothing
// the agent sends is ever parsed as HTML.

export const $ = (id) => document.getElementById(id);

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
