import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { adminErrors } from '../schemas/common.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { machineOf } from '../../runtime/machine-of.ts';
import { hostedActors } from '../actors/inspect.ts';
import { exportTrace, MAX_TRACE_STEPS, parseTraceTime } from '../../replay/export-trace.ts';
import { Trace } from '../../replay/trace-format.ts';

const TraceQuery = Type.Object({
  from: Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 or epoch milliseconds' }),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 or epoch milliseconds; default now' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TRACE_STEPS, description: `most steps; default ${MAX_TRACE_STEPS}` })),
});

/**
 * GET /trace (under /api/admin): the transition journal between `from` and `to` as a JSON trace that
 * `atom-sync replay` reads (docs/traces.md). Events and contexts were sanitised when journaled.
 */
export function registerTraceRoute(app: TypedApp): void {
  app.get('/trace', { schema: { querystring: TraceQuery, response: { 200: Trace, ...adminErrors() } } }, async (request, reply) => {
    const now = app.agent.clock.now();
    const from = parseTraceTime(request.query.from);
    const to = request.query.to === undefined ? now : parseTraceTime(request.query.to);
    if (from === undefined) return sendError(reply, 400, 'from must be an ISO 8601 time or epoch milliseconds');
    if (to === undefined) return sendError(reply, 400, 'to must be an ISO 8601 time or epoch milliseconds');
    if (from > to) return sendError(reply, 400, 'from must not be after to');
    const machines = Object.fromEntries(hostedActors(app.agent).map(([id, actor]) => [id, machineOf(actor).id]));
    return exportTrace(app.agent.store.journal, machines, { from, to, limit: request.query.limit ?? MAX_TRACE_STEPS }, now);
  });
}
