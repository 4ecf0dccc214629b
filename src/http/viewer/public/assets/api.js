// The admin API as the page uses it. Every call carries the token as a bearer header; answers that
// are not 2xx become an ApiError with the agent's own message (`{error, message}`).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

const BASE = '/api/admin';

export async function call(token, path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { authorization: `Bearer ${token}`, accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) throw await errorOf(response);
  return accept === 'application/json' ? response.json() : response.text();
}

export async function errorOf(response) {
  let message = `the agent answered ${response.status}`;
  try {
    const body = await response.json();
    if (body && typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message);
}

const segment = (text) => encodeURIComponent(text);

export const listActors = (token) => call(token, '/actors');
export const getActor = (token, id) => call(token, `/actors/${segment(id)}`);
export const getTransitions = (token, id, limit) => call(token, `/actors/${segment(id)}/transitions?limit=${limit}`);
export const sendEvent = (token, id, type, payload = {}) => call(token, `/actors/${segment(id)}/events`, { method: 'POST', body: { ...payload, type } });
export const getDiagram = (token, machine) => call(token, `/diagrams/${segment(machine)}`, { accept: 'image/svg+xml' });

/** GET /trace: the journal between two instants (epoch ms; `to` null is now), with each step's context. */
export function getTrace(token, from, to) {
  const query = new URLSearchParams({ from: String(from) });
  if (to !== null) query.set('to', String(to));
  return call(token, `/trace?${query}`);
}
