import type { TypedApp, RouteContext } from '../context.ts';
import { apiErrors } from '../schemas/common.ts';
import { CategoryListResponse } from '../schemas/category.ts';
import { answerIfNotModified } from '../etag.ts';

/** GET /categories with live skill_count. */
export function registerCategoryRoutes(app: TypedApp, { store }: RouteContext): void {
  app.get('/categories', {
    schema: { response: { 200: CategoryListResponse, ...apiErrors() } },
  }, async (request, reply) => {
    if (answerIfNotModified(request, reply, store.changes, await store.changes.current())) return reply;
    return { categories: await store.categories.list() };
  });
}
