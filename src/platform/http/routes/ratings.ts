import type { TypedApp, RouteContext } from '../context.ts';
import { apiErrors } from '../schemas/common.ts';
import { RatingBody, RatingConflict, RatingResponse } from '../schemas/rating.ts';
import { sendError, title } from '../../../contract/error-envelope.ts';

/** A client clock may run a little fast; a rating stamped further ahead would win every later edit. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * POST /ratings: spec 000 validation; 201 for a new rating, 200 when a newer rating by the same
 * user replaced the old one (newest wins), 409 with the kept rating when it was not newer, and a
 * replay of the first answer for a retried client_rating_id.
 */
export function registerRatingRoutes(app: TypedApp, { store, clock }: RouteContext): void {
  app.post('/ratings', {
    schema: {
      body: RatingBody,
      response: { 200: RatingResponse, 201: RatingResponse, ...apiErrors(404, 422), 409: RatingConflict },
    },
  }, async (request, reply) => {
    const body = request.body;
    let updatedAt: number | undefined;
    if (body.updated_at !== undefined) {
      updatedAt = Date.parse(body.updated_at);
      if (!Number.isFinite(updatedAt)) return sendError(reply, 400, 'updated_at is not a valid time', { field: 'updated_at' });
      if (updatedAt > clock.now() + MAX_CLOCK_SKEW_MS) {
        return sendError(reply, 400, 'updated_at is in the future', { field: 'updated_at' });
      }
    }
    const outcome = await store.ratings.submit({
      skill_id: body.skill_id.toLowerCase(),
      user_id: body.user_id,
      rating: body.rating,
      ...(typeof body.comment === 'string' ? { comment: body.comment } : {}),
      updated_at: updatedAt,
      client_rating_id: body.client_rating_id,
    });
    switch (outcome.kind) {
      case 'ok':
        return reply.code(outcome.status).send(outcome.response);
      case 'notFound':
        return sendError(reply, 404, 'skill not found');
      case 'keyReused':
        return sendError(reply, 422, 'client_rating_id was already used for a different rating', { field: 'client_rating_id' });
      case 'conflict':
        return reply.code(409).send({
          error: title(409),
          message: 'this user already rated the skill; send a newer updated_at to replace it',
          current: outcome.current,
        });
    }
  });
}
