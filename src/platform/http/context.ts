import type { Clock } from '../../policy/clock.ts';
import type { PlatformData } from '../data.ts';

export type { TypedApp } from '../../fastify-typebox/typed-app.ts';

/** What route handlers need: the data side (SQLite or PostgreSQL) and the clock. */
export interface RouteContext {
  store: PlatformData;
  /** The platform's time (the agent's shell reads the same Clock type from its agent). */
  clock: Pick<Clock, 'now'>;
}
