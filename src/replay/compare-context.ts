// Which context fields a replay can hold the chart to. Times are not among them: deadlines and
// timestamps are computed from the clock at the moment an action ran (the field's clock read a few
// milliseconds before or after the journal's), and backoff adds random jitter. Everything else
// (counters, kinds, reasons, results, failures, flags, queues) follows from the events alone.

/** Keys of times and deadlines (`connectedAt`, `nextSyncAt`, `fallbackUntil`...): not compared. */
const TIMING_KEY = /(At|Until)$/;

/** Where a replayed context differs: the field's path, and both values as JSON. */
export interface FieldDifference {
  path: string;
  expected: string;
  actual: string;
}

/** The first field (in key order) where the chart's context differs from the recorded one; undefined when they agree. */
export function contextDifference(expected: unknown, actual: unknown, path = 'context'): FieldDifference | undefined {
  if (Object.is(expected, actual)) return undefined;
  const bothObjects = isObject(expected) && isObject(actual);
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  if (bothArrays) {
    if (expected.length !== actual.length) return { path: `${path}.length`, expected: String(expected.length), actual: String(actual.length) };
    for (let i = 0; i < expected.length; i += 1) {
      const found = contextDifference(expected[i], actual[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].filter((k) => !TIMING_KEY.test(k)).sort();
    for (const key of keys) {
      const found = contextDifference(expected[key], actual[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return { path, expected: show(expected), actual: show(actual) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
