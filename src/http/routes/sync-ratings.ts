import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { stateString } from '../../runtime/actor-host.ts';
import type { FailedUpload } from '../../store/index.ts';
import { adminErrors, ErrorResponse, iso, NullableString, RefusedResponse } from '../schemas/common.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { tryOperatorEvent } from '../actors/operator-events.ts';
import { LOCAL_ONLY, sendSyncEvent, SyncAccepted } from '../actors/sync-events.ts';

const RatingStatus = Type.Object({
  success: Type.Literal(true),
  state: Type.String(),
  pending: Type.Integer(),
  synced: Type.Integer(),
  failed: Type.Integer(),
  dead: Type.Integer(),
  last_upload: Type.Union([Type.Object({ uploaded: Type.Integer(), failed: Type.Integer(), deadLettered: Type.Integer() }), Type.Null()]),
});

const FailedUploadDto = Type.Object({
  id: Type.Integer(),
  rating_id: Type.Integer(),
  client_rating_id: Type.String(),
  skill_id: Type.String(),
  error_kind: Type.String(),
  reason: Type.String(),
  retry_count: Type.Integer(),
  next_retry_at: NullableString,
  dead_letter: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
const FailedUploads = Type.Object({ success: Type.Literal(true), items: Type.Array(FailedUploadDto), limit: Type.Integer(), offset: Type.Integer() });
const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Retried = Type.Object({ success: Type.Literal(true), requeued: Type.Literal(true), rating_id: Type.Integer(), flushed: Type.Boolean(), state: Type.String() });

export const DEFAULT_FAILED_UPLOADS = 20;

function failedUploadDto(f: FailedUpload) {
  return {
    id: f.id, rating_id: f.ratingId, client_rating_id: f.clientRatingId, skill_id: f.skillId, error_kind: f.errorKind,
    reason: f.reason, retry_count: f.retryCount, next_retry_at: iso(f.nextRetryAt), dead_letter: f.deadLetter,
    created_at: iso(f.createdAt)!, updated_at: iso(f.updatedAt)!,
  };
}

/** POST /sync/ratings, GET /sync/ratings/status, GET /sync/ratings/failed-uploads, POST .../{id}/retry (under /api/admin). */
export function registerSyncRatingRoutes(app: TypedApp): void {
  app.post('/sync/ratings', { schema: { response: { 202: SyncAccepted, 409: RefusedResponse, ...adminErrors() } } }, async (_request, reply) =>
    sendSyncEvent(app.agent.actors.ratingSync, 'ratings.flush', reply));

  app.get('/sync/ratings/status', { schema: { response: { 200: RatingStatus, ...adminErrors() } } }, async () => {
    const ratingSync = app.agent.actors.ratingSync?.getSnapshot();
    return {
      success: true as const,
      // Local ratings still go to the outbox in local-only mode; nothing uploads them.
      state: ratingSync ? stateString(ratingSync.value) : 'local-only',
      ...app.agent.store.ratings.statusCounts(),
      last_upload: ratingSync?.context.lastReport ?? null,
    };
  });

  app.get('/sync/ratings/failed-uploads', { schema: { querystring: PageQuery, response: { 200: FailedUploads, ...adminErrors() } } }, async (request) => {
    const limit = request.query.limit ?? DEFAULT_FAILED_UPLOADS;
    const offset = request.query.offset ?? 0;
    return { success: true as const, items: app.agent.store.ratings.failedUploads(limit, offset).map(failedUploadDto), limit, offset };
  });

  app.post('/sync/ratings/failed-uploads/:id/retry', {
    schema: { params: IdParams, response: { 202: Retried, 404: ErrorResponse, 409: ErrorResponse, ...adminErrors() } },
  }, async (request, reply) => {
    const ratingSync = app.agent.actors.ratingSync;
    if (!ratingSync) return sendError(reply, 503, LOCAL_ONLY);
    const requeued = app.agent.requeueFailedUpload(request.params.id);
    if (requeued.kind === 'notFound') return sendError(reply, 404, `no failed upload ${request.params.id}`);
    if (requeued.kind === 'notFailed') return sendError(reply, 409, `rating ${requeued.ratingId} is no longer failed (re-rated or uploaded since)`);
    // Requeued either way; a refused flush (rate limited) just means it goes with the next round.
    const flush = tryOperatorEvent(ratingSync, { type: 'ratings.flush' });
    const flushed = !('status' in flush);
    return reply.code(202).send({ success: true as const, requeued: true as const, rating_id: requeued.ratingId, flushed, state: stateString(ratingSync.getSnapshot().value) });
  });
}
