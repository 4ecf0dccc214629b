import { Compile } from 'typebox/compile';
import { Trace } from './trace-format.ts';

const check = Compile(Trace);

/** A trace file's text as a trace, or every reason (up to five) it is not one. */
export function readTrace(text: string): { trace: Trace } | { problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [`not JSON: ${(error as Error).message}`] };
  }
  if (!check.Check(value)) {
    const version = (value as { version?: unknown } | null)?.version;
    if (version !== undefined && version !== 1) return { problems: [`trace version ${JSON.stringify(version)}: this atom-sync reads version 1`] };
    return { problems: [...check.Errors(value)].slice(0, 5).map((e) => `${e.instancePath || '/'}: ${e.message}`) };
  }
  const trace = value as Trace;
  const problems: string[] = [];
  trace.steps.forEach((step, i) => {
    if (!Object.hasOwn(trace.actors, step.actor)) problems.push(`/steps/${i}: actor '${step.actor}' is not in /actors`);
    if (Number.isNaN(Date.parse(step.at))) problems.push(`/steps/${i}/at: not a time`);
    if (i > 0 && step.id <= trace.steps[i - 1]!.id) problems.push(`/steps/${i}/id: steps are not in journal order`);
  });
  if (Number.isNaN(Date.parse(trace.from))) problems.push('/from: not a time');
  return problems.length ? { problems: problems.slice(0, 5) } : { trace };
}
