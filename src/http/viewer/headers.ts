import type { onSendHookHandler } from 'fastify';

// Headers of the viewer page and its assets. The page holds the admin token (in sessionStorage), so
// it runs nothing but its own files: scripts and styles from this origin only (no inline script, no
// eval), requests to this origin only, no plugins, no framing, and forms that cannot submit anywhere
// (the token form is handled by the script; without it, submitting must not put the token in a URL).
// The diagrams' own <style> blocks are applied through constructed stylesheets (CSSOM), which
// style-src does not govern, so no 'unsafe-inline' is needed.

export const VIEWER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const VIEWER_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': VIEWER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * A served SVG is a document of its own when opened directly: nothing may run in it, and only its
 * own <style> block may style it.
 */
export const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** onSend hook of the viewer's routes: the headers above on every answer, errors included. */
export const viewerHeaders: onSendHookHandler = async (_request, reply, payload) => {
  reply.headers(VIEWER_HEADERS);
  return payload;
};
