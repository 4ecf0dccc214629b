import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { TypedApp } from '../types.ts';
import { LocalInputError } from '../../runtime/local-edits.ts';
import type { RemoteSkill } from '../../contract/wire-types.ts';
import { ErrorResponse } from '../schemas/common.ts';
import { LocalSkill, localSkillDto } from '../schemas/skill.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { searchSkills } from '../../store/skill-search.ts';
import { NestingTooDeepError } from '../../store/stored-json.ts';

// The local marketplace API (what a local Atom uses): the cached catalog with local edits on top,
// local ratings into the outbox, and imports for local-only mode. No admin token: keep the bind local.

const SearchQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 200 })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
const LocalSkillPage = Type.Object({ items: Type.Array(LocalSkill), total: Type.Integer(), page: Type.Integer(), page_size: Type.Integer() });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
const Str = (max: number) => Type.String({ maxLength: max });
const StrList = Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 });
const SkillPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Str(10_000)),
    code: Type.Optional(Str(50_000)),
    tags: Type.Optional(StrList),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    command: Type.Optional(Str(1_000)),
    python_packages: Type.Optional(StrList),
    npm_packages: Type.Optional(StrList),
  },
  { additionalProperties: false, minProperties: 1 },
);
const RatingBody = Type.Object(
  { user_id: Type.String({ minLength: 1, maxLength: 256 }), rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])) },
  { additionalProperties: false },
);
const RatingCreated = Type.Object({ id: Type.Integer(), client_rating_id: Type.String(), sync_status: Type.String() });
const FieldError = Type.Object({ error: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) });
const ImportBody = Type.Object({ skills: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });
const Imported = Type.Object({ imported: Type.Integer() });
const ImportRejected = Type.Object({
  error: Type.String(),
  message: Type.String(),
  invalid: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() })),
});

export const DEFAULT_PAGE_SIZE = 20;

/** LocalInputError → 400 naming the field, or 404; the store's nesting refusal → 400; anything else is the error handler's (500). */
function sendLocalError(err: unknown, reply: FastifyReply): FastifyReply {
  if (err instanceof NestingTooDeepError) return sendError(reply, 400, err.message);
  if (!(err instanceof LocalInputError)) throw err;
  return sendError(reply, err.kind === 'notFound' ? 404 : 400, err.message, err.field ? { field: err.field } : {});
}

/** GET /api/skills, GET|PATCH /api/skills/{id}, POST /api/skills/{id}/ratings, POST /api/skills/import. */
export function registerLocalSkillRoutes(app: TypedApp): void {
  app.get('/api/skills', { schema: { querystring: SearchQuery, response: { 200: LocalSkillPage, 400: ErrorResponse } } }, async (request) => {
    const page = request.query.page ?? 1;
    const pageSize = request.query.page_size ?? DEFAULT_PAGE_SIZE;
    const { items, total } = searchSkills(app.agent.store, {
      page, pageSize,
      query: request.query.query,
      category: request.query.category,
    });
    return { items: items.map(localSkillDto), total, page, page_size: pageSize };
  });

  app.get('/api/skills/:id', { schema: { params: IdParams, response: { 200: LocalSkill, 400: ErrorResponse, 404: ErrorResponse } } }, async (request, reply) => {
    const cached = app.agent.store.skills.get(request.params.id);
    if (!cached) return sendError(reply, 404, 'no such skill in the local marketplace');
    return localSkillDto(cached);
  });

  app.patch('/api/skills/:id', {
    schema: { params: IdParams, body: SkillPatch, response: { 200: LocalSkill, 400: FieldError, 404: FieldError } },
  }, async (request, reply) => {
    try {
      return localSkillDto(app.agent.editSkill(request.params.id, request.body as Partial<RemoteSkill>));
    } catch (err) {
      return sendLocalError(err, reply);
    }
  });

  app.post('/api/skills/:id/ratings', {
    schema: { params: IdParams, body: RatingBody, response: { 201: RatingCreated, 400: FieldError, 404: FieldError } },
  }, async (request, reply) => {
    try {
      const { user_id: userId, rating, comment } = request.body;
      const saved = app.agent.rateSkill({ skillId: request.params.id, userId, rating, comment });
      return reply.code(201).send({ id: saved.id, client_rating_id: saved.clientRatingId, sync_status: saved.syncStatus });
    } catch (err) {
      return sendLocalError(err, reply);
    }
  });

  // Imports can be large; the shell's 64 KiB limit is for operator events.
  app.post('/api/skills/import', {
    bodyLimit: 4 * 1024 * 1024,
    schema: { body: ImportBody, response: { 200: Imported, 400: Type.Union([ImportRejected, ErrorResponse]) } },
  }, async (request, reply) => {
    const { skills } = request.body;
    try {
      const result = app.agent.importSkills(skills);
      if ('invalid' in result) {
        return sendError(reply, 400, `${result.invalid.length} of ${skills.length} skills are invalid; nothing was imported`, { invalid: result.invalid });
      }
      return result;
    } catch (err) {
      return sendLocalError(err, reply);
    }
  });
}
