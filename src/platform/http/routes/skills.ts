import type { TypedApp, RouteContext } from '../context.ts';
import { apiErrors, optionalBody, SkillIdParams } from '../schemas/common.ts';
import { InstallBody, InstallResponse, SkillDetailSchema, SkillListQuery, SkillListResponse } from '../schemas/skill.ts';
import { decodeCursor, encodeCursor, filterFingerprint } from '../../cursor.ts';
import { iso } from '../../db/rows.ts';
import { answerIfNotModified } from '../etag.ts';
import { sendError } from '../../../contract/error-envelope.ts';
import type { FastifyReply } from 'fastify';
import { registerSkillLookupRoute } from './skill-lookup.ts';

/** Sends JSON that is already text: Fastify passes a string with a JSON content type through unserialized. */
function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

const DEFAULT_PAGE_SIZE = 100;

/** GET /skills (spec 000 + sync extensions), GET /skills/{id}, POST /skills/{id}/install. */
export function registerSkillRoutes(app: TypedApp, { store, clock }: RouteContext): void {
  registerSkillLookupRoute(app, { store, clock });
  app.get('/skills', {
    schema: { querystring: SkillListQuery, response: { 200: SkillListResponse, ...apiErrors() } },
  }, async (request, reply) => {
    const q = request.query;
    const seq = await store.changes.current();
    if (answerIfNotModified(request, reply, store.changes, seq)) return reply;
    const pageSize = q.page_size ?? DEFAULT_PAGE_SIZE;
    const fingerprint = filterFingerprint(q);
    let page = q.page ?? 1;
    let after: { u: number; id: string } | undefined;
    if (q.cursor !== undefined) {
      if (q.page !== undefined) return sendError(reply, 400, 'page cannot be combined with cursor', { field: 'page' });
      const cursor = decodeCursor(q.cursor);
      if (!cursor || cursor.f !== fingerprint) {
        return sendError(reply, 400, 'cursor is not one this listing issued (filters must stay the same)', { field: 'cursor' });
      }
      after = { u: cursor.u, id: cursor.id };
      page = cursor.p;
    }
    let updatedSince: number | undefined;
    if (q.updated_since !== undefined) {
      updatedSince = Date.parse(q.updated_since);
      if (!Number.isFinite(updatedSince)) return sendError(reply, 400, 'updated_since is not a valid time', { field: 'updated_since' });
    }
    const result = await store.listSkills({
      query: q.query, category: q.category, updatedSince, includeDeleted: q.include_deleted === true,
      pageSize, page, after,
    });
    const skills: string[] = [];
    const deleted: string[] = [];
    for (const item of result.items) (item.kind === 'skill' ? skills : deleted).push(item.json);
    const nextCursor = result.next ? encodeCursor({ ...result.next, p: page + 1, f: fingerprint }) : null;
    // The items are already spec 000 JSON built by SQLite (skillJsonSql); only the envelope is
    // assembled here. Its fields and order are SkillListResponse's.
    const body = `{"skills":[${skills.join(',')}],"page":${page},"page_size":${pageSize},"total":${result.total},` +
      `"total_pages":${Math.ceil(result.total / pageSize)},"next_cursor":${JSON.stringify(nextCursor)},` +
      `"high_water_seq":${seq}${q.include_deleted === true ? `,"deleted":[${deleted.join(',')}]` : ''}}`;
    return sendJsonText(reply, body);
  });

  app.get('/skills/:skill_id', {
    schema: { params: SkillIdParams, response: { 200: SkillDetailSchema, ...apiErrors(404) } },
  }, async (request, reply) => {
    const skillId = request.params.skill_id.toLowerCase();
    if (answerIfNotModified(request, reply, store.changes, await store.changes.current())) return reply;
    const skill = await store.skills.get(skillId);
    if (!skill) return sendError(reply, 404, 'skill not found');
    return { ...skill, ratings: await store.ratings.recent(skillId) };
  });

  app.post('/skills/:skill_id/install', {
    schema: {
      params: SkillIdParams,
      body: optionalBody(InstallBody),
      response: { 200: InstallResponse, ...apiErrors(404) },
    },
  }, async (request, reply) => {
    const skill = await store.skills.get(request.params.skill_id.toLowerCase());
    if (!skill) return sendError(reply, 404, 'skill not found');
    // Nothing is executed here: the answer lists what the local instance should install.
    const wanted = request.body?.auto_install_deps !== false;
    return {
      success: true,
      skill_id: skill.skill_id,
      installed_at: iso(clock.now()),
      dependencies_installed: wanted ? [...skill.python_packages, ...skill.npm_packages] : [],
    };
  });
}
