import type { VariableSpec } from './variables.ts';

// Pure parsers from a raw string to a typed value. Each returns either the value or the reason
// it was refused; the loader collects reasons so that every problem is reported at once.

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

export function parseBoolean(raw: string): Parsed<boolean> {
  switch (raw.trim().toLowerCase()) {
    case 'true': case '1': return ok(true);
    case 'false': case '0': return ok(false);
    default: return bad('is not a boolean');
  }
}

export function parseInteger(raw: string, min: number, max: number): Parsed<number> {
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) return bad('is not an integer');
  const value = Number(text);
  if (value < min || value > max) return bad('is out of range');
  return ok(value);
}

export function parseNumber(raw: string, min: number, max: number): Parsed<number> {
  const text = raw.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return bad('is not a number');
  const value = Number(text);
  if (value < min || value > max) return bad('is out of range');
  return ok(value);
}

/** Case-insensitive (`INFO`, `Remote_Wins`), normalised to the canonical lower-case value. */
export function parseEnum(raw: string, values: readonly string[]): Parsed<string> {
  const text = raw.trim().toLowerCase();
  const match = values.find((v) => v.toLowerCase() === text);
  return match !== undefined ? ok(match) : bad('is not an allowed value');
}

export function parseUrl(raw: string, protocols: readonly string[]): Parsed<string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return bad('is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) return bad(`has protocol ${url.protocol.replace(':', '')}`);
  // A lone `?` or `#` leaves search and hash empty but still ends up in the URL.
  if (url.search || url.hash || /[?#]/.test(url.href)) return bad('must not carry a query string or fragment');
  return ok(url.toString().replace(/\/+$/, ''));
}

export function parseSecret(raw: string, minLength: number): Parsed<string> {
  if (/\s/.test(raw)) return bad('contains white space');
  if (raw.length < minLength) return bad(`is shorter than ${minLength} characters`);
  return ok(raw);
}

export function parseString(raw: string): Parsed<string> {
  const text = raw.trim();
  return text ? ok(text) : bad('is empty');
}

/** Dispatches on the variable's kind. */
export function parseValue(spec: VariableSpec, raw: string): Parsed<string | number | boolean> {
  switch (spec.kind) {
    case 'boolean': return parseBoolean(raw);
    case 'integer': return parseInteger(raw, spec.min, spec.max);
    case 'number': return parseNumber(raw, spec.min, spec.max);
    case 'enum': return parseEnum(raw, spec.values);
    case 'url': return parseUrl(raw, spec.protocols);
    case 'secret': return parseSecret(raw, spec.minLength);
    case 'string': return parseString(raw);
  }
}

/** http→ws and https→wss, keeping the base path: `https://h/base` → `wss://h/base/ws`. */
export function deriveWsUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  return url.toString();
}
