import { fromPromise, type ActorRefFrom } from 'xstate';
import { conflictsMachine, type ResolveReport, type ResolveRequest } from '../../machines/conflicts.ts';
import type { Store } from '../store/index.ts';
import { hostActor } from './actor-host.ts';
import { resolveQueuedConflict } from './apply-remote.ts';
import type { Clock } from '../policy/clock.ts';
import type { Hosting } from './hosting.ts';

// Everything the conflicts chart (machines/conflicts.ts) runs: its `resolveConflicts` actor, which
// applies an operator's decision conflict by conflict through apply-remote.ts, and the hosted actor.

const BULK_PAGE = 200;

/** The conflicts chart's `resolveConflicts` effect: one operator request, applied conflict by conflict. */
export function createConflictResolver(store: Store, clock: Clock) {
  return async ({ request }: { request: ResolveRequest }): Promise<ResolveReport> => {
    if (request.kind === 'one') {
      const ok = resolveQueuedConflict(store, request.id, request.strategy, clock.now());
      return { resolved: ok ? 1 : 0, refused: ok ? 0 : 1 };
    }
    const report: ResolveReport = { resolved: 0, refused: 0 };
    // Resolved rows leave the unresolved listing, so the first page is always the next batch;
    // `seen` stops the loop on rows that refuse to resolve.
    const seen = new Set<number>();
    for (;;) {
      const { items } = store.conflicts.list({
        resolved: false, limit: BULK_PAGE, offset: 0,
        conflictType: request.conflictType,
        skillId: request.skillId,
      });
      const fresh = items.filter((c) => !seen.has(c.id));
      if (fresh.length === 0) return report;
      for (const conflict of fresh) {
        seen.add(conflict.id);
        if (resolveQueuedConflict(store, conflict.id, request.strategy, clock.now())) report.resolved += 1;
        else report.refused += 1;
      }
      // Let HTTP requests and timers run between batches of a large bulk resolution.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
}

/** The conflicts chart with its effect provided. */
export function provideConflicts(store: Store, clock: Clock) {
  const resolve = createConflictResolver(store, clock);
  return conflictsMachine.provide({
    actors: { resolveConflicts: fromPromise<ResolveReport, { request: ResolveRequest }>(({ input }) => resolve(input)) },
  });
}

export type ConflictsActor = ActorRefFrom<ReturnType<typeof provideConflicts>>;

/** The conflicts actor, restored from its snapshot (pending requests survive a restart) and journaled. */
export function createConflictsActor(hosting: Hosting): ConflictsActor {
  return hostActor({ ...hosting, id: 'conflicts', machine: 'conflicts', persist: true, logic: provideConflicts(hosting.store, hosting.clock), input: undefined });
}
