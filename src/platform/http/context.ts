import type { PlatformStore } from '../store.ts';

export type { TypedApp } from '../../fastify-typebox/typed-app.ts';

/** What route handlers need: the data side and the clock. */
export interface RouteContext {
  store: PlatformStore;
  now: () => number;
}
