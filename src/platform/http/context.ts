import type { PlatformData } from '../data.ts';

export type { TypedApp } from '../../fastify-typebox/typed-app.ts';

/** What route handlers need: the data side (SQLite or PostgreSQL) and the clock. */
export interface RouteContext {
  store: PlatformData;
  now: () => number;
}
