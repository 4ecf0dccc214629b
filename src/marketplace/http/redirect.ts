import { redactText } from '../../logging/redact.ts';

// The client never follows a redirect: the platform's answers, and the bearer token, stay with the
// host the operator configured. Following one would send the token to wherever it points.

const MAX_SHOWN = 200;

/**
 * How a 3xx answer is reported: that it was a redirect, and where to (resolved against the request,
 * secrets masked, cut at 200 characters), so an operator can fix ATOM_SAAS_API_URL.
 */
export function describeRedirect(status: number, location: string | undefined, requestUrl: URL, secrets: readonly string[]): string {
  if (location === undefined || location.trim() === '') return `HTTP ${status}: a redirect without a Location (not followed)`;
  let target: string;
  try {
    target = new URL(location, requestUrl).href;
  } catch {
    target = location;
  }
  const shown = redactText(target, secrets);
  return `HTTP ${status}: a redirect to ${shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}…` : shown} (not followed; check ATOM_SAAS_API_URL)`;
}
