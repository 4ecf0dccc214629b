import { readFileSync } from 'node:fs';
import type { Command } from './commands.ts';
import { printable, usageError as usageErrorOf } from './usage.ts';

/** `atom-sync replay <trace.json>`: a field trace replayed against the charts (docs/traces.md). */
export const replayCommand: Command = {
  summary: 'replay a trace (GET /api/admin/trace) against the charts; report the first step that differs',
  usage: [
    'usage: atom-sync replay <trace.json> [--json] [--verbose]',
    '',
    'Replays a trace exported from a running agent against the charts of this atom-sync: every actor starts',
    'where the trace says, invoked actors answer with their recorded results, timers fire at their recorded',
    'times. Each step is held to the recorded state and to the context fields that follow from events alone.',
    '  --json     print the report as JSON',
    '  --verbose  also list the steps that could not be replayed (a payload too large to journal...)',
    '',
    'exit 0: no step differs; 1: `step N (actor, event): expected X, chart gives Y`; 2: unreadable trace.',
  ].join('\n'),
  options: {
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
  maxPositionals: 1,
  examples: [
    "curl -H \"Authorization: Bearer $ATOM_ADMIN_TOKEN\" \"$ATOM_ADMIN_URL/api/admin/trace?from=2026-12-07T02:10:00Z&to=2026-12-07T02:20:00Z\" > trace.json",
    'atom-sync replay trace.json',
    'atom-sync replay test/traces/restart-and-throttle.json --verbose',
  ],
  async run({ values, positionals }) {
    const path = positionals[0];
    if (path === undefined) return usageErrorOf('replay', replayCommand.usage, 'which trace? (a file from GET /api/admin/trace)');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      process.stderr.write(`atom-sync replay: cannot read ${printable(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 2;
    }
    // Loaded here: `atom-sync --help` must not pay for XState and the charts.
    const { readTrace } = await import('../replay/read-trace.ts');
    const read = readTrace(text);
    if ('problems' in read) {
      process.stderr.write(`atom-sync replay: ${printable(path)} is not a trace:\n  ${read.problems.join('\n  ')}\n`);
      return 2;
    }
    const { loadMachines } = await import('../viz/registry.ts');
    const { describeDifference, replayTrace } = await import('../replay/replay-trace.ts');
    const charts = new Map((await loadMachines()).map((m) => [m.id, m] as const));
    const report = replayTrace(read.trace, charts);
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify({
        steps: report.steps,
        compared: report.compared,
        skipped: report.skipped.map((s) => ({ step: s.number, id: s.step.id, actor: s.step.actor, event: s.step.event.type, reason: s.reason })),
        difference: report.difference ? { step: report.difference.number, id: report.difference.step.id, actor: report.difference.step.actor, event: report.difference.step.event.type, expected: report.difference.expected, actual: report.difference.actual, message: describeDifference(report.difference) } : null,
      }, null, 2)}\n`);
    } else {
      if (values.verbose === true) {
        for (const s of report.skipped) process.stdout.write(`step ${s.number} (${s.step.actor}, ${s.step.event.type}): not replayable: ${s.reason}\n`);
      }
      if (report.difference) {
        const d = report.difference;
        process.stdout.write(`${describeDifference(d)}\n  journal row ${d.step.id} at ${d.step.at}; ${report.compared} steps before it agreed\n`);
      } else {
        const skipped = report.skipped.length ? `, ${report.skipped.length} not replayable${values.verbose === true ? '' : ' (--verbose lists them)'}` : '';
        process.stdout.write(`${report.steps} steps, ${Object.keys(read.trace.actors).length} actors: no step differs (${report.compared} compared${skipped})\n`);
      }
    }
    return report.difference ? 1 : 0;
  },
};
