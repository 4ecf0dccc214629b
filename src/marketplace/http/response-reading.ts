import type { Dispatcher } from 'undici';
import { classifyOutcome, type FailedOutcome } from '../../policy/outcome.ts';
import { redactText } from '../../logging/redact.ts';

// Reading a platform response and describing what went wrong, for the client (client.ts): a body read
// up to a size limit, a network failure classified into a kind, a failed status told in one line.
// Every description is redacted: the token never leaves in a message.

/** The body as text, abandoned (RESPONSE_TOO_LARGE) past `limit` bytes. */
export async function readBounded(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw Object.assign(new Error(`response body larger than ${limit} bytes`), { code: 'RESPONSE_TOO_LARGE' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Classifies an error thrown before any response (network, deadline, body too large) into a kind,
 * its message naming the request and redacted. (machines/failure.ts `failureOf` is the charts' other
 * direction: reading the kind back out of whatever an actor rejected with.)
 */
export function classifyRequestError(error: unknown, method: string, url: URL, secrets: string[], now: () => number): FailedOutcome {
  const e = error as { code?: string; name?: string; message?: string };
  // The overall deadline fires as a TimeoutError (AbortSignal.timeout): name it as such.
  const code = e?.name === 'TimeoutError' ? 'TIMEOUT' : e?.code;
  if (code === 'RESPONSE_TOO_LARGE') {
    return { kind: 'invalid' as const, status: 200, message: redactText(`${method} ${url.pathname}: ${e.message}`, secrets) };
  }
  const outcome = classifyOutcome({ error: { code, name: e?.name, message: redactText(`${method} ${url.pathname}: ${e?.message ?? 'failed'}`, secrets) } }, now());
  return outcome as FailedOutcome;
}

/** A failed status in one line: method, path, status and the platform's own message. */
export function describeStatus(method: string, url: URL, status: number, text: string, secrets: string[]): string {
  let detail = '';
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    detail = String(body.message ?? body.error ?? '');
  } catch {
    detail = text.slice(0, 200);
  }
  return redactText(`${method} ${url.pathname}: HTTP ${status}${detail ? ` ${detail}` : ''}`, secrets);
}
