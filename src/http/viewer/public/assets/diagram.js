// A chart from GET /api/admin/diagrams/{machine} placed in the page, and its active states marked.
// The chart brings a <style> block and a style attribute; the page's CSP (style-src 'self') refuses
// both inline, so they are applied through the CSSOM instead (a constructed stylesheet and
// style.setProperty), which the CSP does not govern and which runs nothing. They are taken out of
// the text before it is parsed: Chrome holds even a DOMParser document to the page's CSP, and
// reports each inline style there as a violation.

const adopted = new Set();

function adoptCss(text) {
  if (adopted.has(text)) return;
  adopted.add(text);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

const ENTITIES = { '&quot;': '"', '&apos;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const unescape = (text) => text.replace(/&(?:quot|apos|lt|gt|amp);/g, (entity) => ENTITIES[entity]);

/** `--bg:#fff;background:var(--bg)` → [['--bg', '#fff'], ['background', 'var(--bg)']] */
function declarations(text) {
  return text.split(';').map((part) => {
    const colon = part.indexOf(':');
    return colon < 0 ? null : [part.slice(0, colon).trim(), part.slice(colon + 1).trim()];
  }).filter((pair) => pair && pair[0] && pair[1]);
}

/** The <svg> element of a chart, ready to be inserted into this document. */
export function chartElement(svgText) {
  const inline = [];
  const text = svgText
    .replace(/<style\b[^>]*>([\s\S]*?)<\/style>/g, (_, css) => {
      adoptCss(css);
      return '';
    })
    // `\s` first: `data-style="solid"` is an attribute of its own, not a style.
    .replace(/\sstyle="([^"]*)"/g, (_, value) => {
      inline.push(declarations(unescape(value)));
      return ` data-inline-style="${inline.length - 1}"`;
    });
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.localName !== 'svg' || parsed.querySelector('parsererror')) throw new Error('the chart is not an SVG');
  // Charts are drawn by the agent from its own machines; still, nothing that could run goes in.
  for (const element of root.querySelectorAll('script, foreignObject, style')) element.remove();
  const svg = document.importNode(root, true);
  for (const element of [svg, ...svg.querySelectorAll('[data-inline-style]')]) {
    const index = element.getAttribute('data-inline-style');
    if (index === null) continue;
    for (const [name, value] of inline[Number(index)] ?? []) element.style.setProperty(name, value);
    element.removeAttribute('data-inline-style');
  }
  svg.setAttribute('role', 'img');
  return svg;
}

/**
 * Every active state path of a state value, ancestors included:
 * `{link: 'open'}` → ['link', 'link.open']; a parallel state gives the paths of each region.
 */
export function activePaths(value, prefix = '') {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [`${prefix}${key}`, ...activePaths(child, `${prefix}${key}.`)]);
}

/** Marks the boxes of the active states (`.active`); the CSS fills leaves and outlines compound states. */
export function highlight(svg, value) {
  highlightPaths(svg, activePaths(value));
}

/** The same, from the state paths themselves (time travel knows a past state by its string). */
export function highlightPaths(svg, paths) {
  const active = new Set(paths);
  for (const element of svg.querySelectorAll('[data-state]')) {
    element.classList.toggle('active', active.has(element.getAttribute('data-state')));
  }
}
