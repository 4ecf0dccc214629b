import { Type } from 'typebox';
import type { TypedApp, RouteContext } from '../context.ts';
import { apiErrors, Uuid } from '../schemas/common.ts';

/** Ids per look-up: the same ceiling as a listing page, so a reconciliation costs what its listing did at most. */
export const MAX_LOOKUP_IDS = 1000;

export const SkillLookupBody = Type.Object({
  skill_ids: Type.Array(Uuid, { minItems: 1, maxItems: MAX_LOOKUP_IDS }),
}, { additionalProperties: false });
export const SkillLookupResponse = Type.Object({ existing: Type.Array(Type.String()) });

/**
 * POST /skills/lookup (instance token): which of up to 1000 skill ids the platform still has. A
 * sync extension for reconciliation after a full sync: one request per 1000 candidates instead of
 * one GET /skills/{id} each. Read-only, so repeating it is harmless.
 */
export function registerSkillLookupRoute(app: TypedApp, { store }: RouteContext): void {
  app.post('/skills/lookup', {
    schema: { body: SkillLookupBody, response: { 200: SkillLookupResponse, ...apiErrors() } },
  }, async (request) => ({ existing: await store.skills.existing(request.body.skill_ids.map((id) => id.toLowerCase())) }));
}
