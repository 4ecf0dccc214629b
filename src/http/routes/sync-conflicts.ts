import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { TypedApp } from '../types.ts';
import { redactText } from '../../logging/redact.ts';
import { adminErrors, ErrorResponse } from '../schemas/common.ts';
import { ConflictDetail, conflictDetailDto, ConflictSummary, conflictSummaryDto, ConflictTypeSchema, OperatorStrategySchema } from '../schemas/conflict.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { resolveThroughActor, RESOLVE_TIMEOUT_MS, type ResolveOutcome } from '../actors/resolve-conflicts.ts';
import { configSecrets } from '../../config/index.ts';

const ListQuery = Type.Object({
  resolved: Type.Optional(Type.Boolean()),
  type: Type.Optional(ConflictTypeSchema),
  skill_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});
const ConflictList = Type.Object({ items: Type.Array(ConflictSummary), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ResolveQuery = Type.Object({ strategy: OperatorStrategySchema });
const BulkBody = Type.Object(
  { strategy: OperatorStrategySchema, conflict_type: Type.Optional(ConflictTypeSchema), skill_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
/** 409 of the resolve routes: refused by the actor (with `accepts`) or by the conflict itself (without). */
const ResolveRefused = Type.Object({ error: Type.String(), message: Type.String(), accepts: Type.Optional(Type.Array(Type.String())) });
const Resolved = Type.Object({ resolved: Type.Literal(true), conflict: ConflictDetail });
const BulkResolved = Type.Object({ success: Type.Literal(true), resolved: Type.Integer(), refused: Type.Integer() });
const resolveErrors = { 409: ResolveRefused, 500: ErrorResponse, ...adminErrors() };

export const DEFAULT_CONFLICTS = 20;

/** GET /sync/conflicts, GET /sync/conflicts/{id}, POST .../{id}/resolve, POST /sync/conflicts/bulk-resolve (under /api/admin). */
export function registerSyncConflictRoutes(app: TypedApp): void {
  // The agent's own secrets, which no answer may carry (the agent is decorated before any route registers).
  const secrets = configSecrets(app.agent.config);
  /** Everything but a report: answered here; a report is the caller's to answer. */
  const unlessReported = (outcome: ResolveOutcome, reply: FastifyReply) => {
    if ('status' in outcome) return sendError(reply, outcome.status, outcome.message, outcome.extra);
    if ('timedOut' in outcome) return sendError(reply, 503, `the conflict resolver did not report within ${RESOLVE_TIMEOUT_MS / 1000} s; the request stays queued`);
    if ('failed' in outcome) return sendError(reply, 500, `the conflict resolver failed: ${redactText(outcome.failed, secrets)}`);
    return undefined;
  };

  app.get('/sync/conflicts', { schema: { querystring: ListQuery, response: { 200: ConflictList, ...adminErrors() } } }, async (request) => {
    const { resolved, type, skill_id: skillId } = request.query;
    const limit = request.query.limit ?? DEFAULT_CONFLICTS;
    const offset = request.query.offset ?? 0;
    const { items, total } = app.agent.store.conflicts.list({
      limit, offset,
      resolved,
      conflictType: type,
      skillId,
    });
    return { items: items.map(conflictSummaryDto), total, limit, offset };
  });

  app.get('/sync/conflicts/:id', { schema: { params: IdParams, response: { 200: ConflictDetail, 404: ErrorResponse, ...adminErrors() } } }, async (request, reply) => {
    const conflict = app.agent.store.conflicts.get(request.params.id);
    if (!conflict) return sendError(reply, 404, `no conflict ${request.params.id}`);
    return conflictDetailDto(conflict);
  });

  app.post('/sync/conflicts/:id/resolve', {
    schema: { params: IdParams, querystring: ResolveQuery, response: { 200: Resolved, 404: ErrorResponse, ...resolveErrors } },
  }, async (request, reply) => {
    const { id } = request.params;
    const before = app.agent.store.conflicts.get(id);
    if (!before) return sendError(reply, 404, `no conflict ${id}`);
    if (before.resolved) return sendError(reply, 409, `conflict ${id} is already resolved (${before.strategy ?? 'unknown strategy'})`);
    const outcome = await resolveThroughActor(app.agent.actors.conflicts, { type: 'conflict.resolve', id, strategy: request.query.strategy });
    const answered = unlessReported(outcome, reply);
    if (answered) return answered;
    const after = app.agent.store.conflicts.get(id);
    if (!('report' in outcome) || outcome.report.resolved !== 1 || !after?.resolved) {
      return sendError(reply, 409, `conflict ${id} could not be resolved: it was resolved meanwhile or its skill has no local side any more`);
    }
    return { resolved: true as const, conflict: conflictDetailDto(after) };
  });

  app.post('/sync/conflicts/bulk-resolve', { schema: { body: BulkBody, response: { 200: BulkResolved, ...resolveErrors } } }, async (request, reply) => {
    const { strategy, conflict_type: conflictType, skill_id: skillId } = request.body;
    const outcome = await resolveThroughActor(app.agent.actors.conflicts, {
      type: 'conflict.resolveAll', strategy, conflictType, skillId,
    });
    const answered = unlessReported(outcome, reply);
    if (answered) return answered;
    const report = 'report' in outcome ? outcome.report : { resolved: 0, refused: 0 };
    return { success: true as const, resolved: report.resolved, refused: report.refused };
  });
}
