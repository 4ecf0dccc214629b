import { renderMermaidASCII, renderMermaidSVG } from 'beautiful-mermaid';

// Mermaid text to SVG and terminal art with beautiful-mermaid: pure JavaScript (ELK layout, its own
// SVG writer), so neither `npm run viz` nor the staleness test needs a browser.

/**
 * A self-contained SVG. beautiful-mermaid adds an `@import` of its web font from Google Fonts; it is
 * dropped so opening a chart fetches nothing (GitHub's image view would block it anyway), and
 * coordinates are rounded so the committed file does not depend on the last digit of float math.
 */
export function toSvg(mermaid: string): string {
  const svg = renderMermaidSVG(mermaid)
    .replace(/^\s*@import url\([^)]*\);\s*\n/gm, '')
    .replace(/\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100));
  return svg.endsWith('\n') ? svg : `${svg}\n`;
}

/** The chart in box-drawing characters, uncoloured (the same on every terminal and in a pipe). */
export function toAscii(mermaid: string): string {
  return renderMermaidASCII(mermaid, { colorMode: 'none' });
}
