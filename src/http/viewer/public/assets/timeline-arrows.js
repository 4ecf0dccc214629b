// Arrows over the timeline from a cause to its effect (a socket open → the catch-up it asked for),
// drawn in an SVG laid over the rows; both ends must be rows on screen.

const SVG = 'http://www.w3.org/2000/svg';

function svgElement(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function arrowHead() {
  const defs = svgElement('defs', {});
  const marker = svgElement('marker', { id: 'tl-arrowhead', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svgElement('path', { d: 'M0,0 L10,5 L0,10 z', class: 'tl-arrowhead' }));
  defs.append(marker);
  return defs;
}

/** Redraws `svg` (laid over `body`) with one arrow per `{cause, effect}` pair of row keys. */
export function drawArrows(svg, body, links) {
  const box = body.getBoundingClientRect();
  svg.setAttribute('width', String(body.scrollWidth));
  svg.setAttribute('height', String(body.scrollHeight));
  svg.replaceChildren(arrowHead());
  for (const link of links) {
    const from = body.querySelector(`.tl-row[data-key="${CSS.escape(link.cause)}"] .tl-step`);
    const to = body.querySelector(`.tl-row[data-key="${CSS.escape(link.effect)}"] .tl-step`);
    if (!from || !to) continue;
    const a = from.getBoundingClientRect();
    const b = to.getBoundingClientRect();
    // From the middle of the cause's left edge to the middle of the effect's right edge (or the
    // other way round when the effect's lane lies to the right).
    const leftward = b.left < a.left;
    const x1 = (leftward ? a.left : a.right) - box.left;
    const y1 = a.top + a.height / 2 - box.top;
    const x2 = (leftward ? b.right : b.left) - box.left;
    const y2 = b.top + b.height / 2 - box.top;
    const bend = Math.max(24, Math.abs(x2 - x1) / 3) * (leftward ? -1 : 1);
    const path = svgElement('path', { d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`, class: 'tl-arrow', 'marker-end': 'url(#tl-arrowhead)' });
    path.dataset.cause = link.cause;
    path.dataset.effect = link.effect;
    svg.append(path);
  }
}
