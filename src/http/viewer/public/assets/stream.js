import { ApiError, errorOf } from './api.js';

// The transition stream (GET /api/admin/actors/stream, Server-Sent Events) read through fetch():
// EventSource cannot send an Authorization header, and the alternative, the token in the query
// string, would land in access logs, proxies and the browser history.

/** One SSE block (the lines between blank lines) as `{event, data}`; comments (`: heartbeat`) give null. */
export function parseBlock(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? null : { event, data: data.join('\n') };
}

/**
 * Reads the stream until it ends (resolves) or fails (rejects; an ApiError for a refused answer):
 * `onOpen()` once the agent has subscribed us, `onTransition(t)` per transition.
 */
export async function readTransitions(token, { signal, onOpen, onTransition }) {
  const response = await fetch('/api/admin/actors/stream', {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    cache: 'no-store',
    credentials: 'omit',
    signal,
  });
  if (!response.ok) throw await errorOf(response);
  if (!response.body) throw new Error('the stream has no body');
  onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const message = parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (message?.event === 'transition') onTransition(JSON.parse(message.data));
    }
  }
}

const RETRY_MS = [1000, 2000, 4000, 8000, 15000];

/**
 * Follows the stream while `isCurrent()`, reconnecting with backoff: `onLost(waitMs)` before each
 * wait, `onRefused(error)` (and the end) when the agent refuses the token (401) or has none (503).
 */
export async function followTransitions(token, { signal, isCurrent, onOpen, onTransition, onLost, onRefused }) {
  let failures = 0;
  while (isCurrent()) {
    try {
      await readTransitions(token, {
        signal,
        onOpen: () => {
          failures = 0;
          onOpen();
        },
        onTransition,
      });
    } catch (error) {
      if (signal.aborted || !isCurrent()) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 503)) return onRefused(error);
    }
    if (!isCurrent()) return;
    const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
    failures += 1;
    onLost(wait);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
