import type { TypedApp, RouteContext } from '../context.ts';
import { apiErrors, optionalBody, SkillIdParams } from '../schemas/common.ts';
import { DeleteSkillResponse, SkillCreateBody, SkillSchema, SkillUpdateBody } from '../schemas/skill.ts';
import { CategoryCreateBody, CategoryParams, CategorySchema, CategoryUpdateBody } from '../schemas/category.ts';
import type { SkillResult } from '../../db/skills.ts';
import type { CategoryResult } from '../../db/categories.ts';
import { requireAdmin } from '../auth.ts';
import { sendError } from '../../../contract/error-envelope.ts';
import type { FastifyReply } from 'fastify';

/**
 * Publishing (admin token only): skills and categories. Each change commits with its seq and is
 * then broadcast on the WebSocket; the responses carry the stored objects.
 */
export function registerPublishRoutes(app: TypedApp, { store }: RouteContext): void {
  const admin = { onRequest: requireAdmin };

  app.post('/skills', {
    ...admin,
    schema: { body: SkillCreateBody, response: { 201: SkillSchema, ...apiErrors(403, 409) } },
  }, async (request, reply) => sendSkill(reply, await store.skills.create(request.body), 201));

  app.put('/skills/:skill_id', {
    ...admin,
    schema: { params: SkillIdParams, body: SkillUpdateBody, response: { 200: SkillSchema, ...apiErrors(403, 404) } },
  }, async (request, reply) => sendSkill(reply, await store.skills.update(request.params.skill_id.toLowerCase(), request.body), 200));

  app.delete('/skills/:skill_id', {
    ...admin,
    schema: { params: SkillIdParams, response: { 200: DeleteSkillResponse, ...apiErrors(403, 404) } },
  }, async (request, reply) => {
    const result = await store.skills.remove(request.params.skill_id.toLowerCase());
    if (result.kind === 'notFound') return sendError(reply, 404, 'skill not found');
    return result.tombstone;
  });

  app.post('/categories', {
    ...admin,
    schema: { body: CategoryCreateBody, response: { 201: CategorySchema, ...apiErrors(403, 409) } },
  }, async (request, reply) => sendCategory(reply, await store.categories.create(request.body), 201));

  app.put('/categories/:name', {
    ...admin,
    schema: {
      params: CategoryParams,
      body: optionalBody(CategoryUpdateBody),
      response: { 200: CategorySchema, ...apiErrors(403, 404) },
    },
  }, async (request, reply) => sendCategory(reply, await store.categories.update(request.params.name, request.body ?? {}), 200));
}

function sendSkill(reply: FastifyReply, result: SkillResult, status: 200 | 201): FastifyReply {
  switch (result.kind) {
    case 'ok':
      return reply.code(status).send(result.skill);
    case 'notFound':
      return sendError(reply, 404, 'skill not found');
    case 'conflict':
      return sendError(reply, 409, 'a skill with this skill_id already exists', { field: 'skill_id' });
    case 'unknownCategory':
      return sendError(reply, 400, `category '${result.category}' does not exist`, { field: 'category' });
  }
}

function sendCategory(reply: FastifyReply, result: CategoryResult, status: 200 | 201): FastifyReply {
  switch (result.kind) {
    case 'ok':
      return reply.code(status).send(result.category);
    case 'notFound':
      return sendError(reply, 404, 'category not found');
    case 'conflict':
      return sendError(reply, 409, 'a category with this name already exists', { field: 'name' });
  }
}
