import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { stateString } from '../../runtime/actor-host.ts';
import { adminErrors, iso, NullableString, RefusedResponse } from '../schemas/common.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { LOCAL_ONLY, sendSyncEvent, SyncAccepted } from '../actors/sync-events.ts';
import { tryOperatorEvent } from '../actors/operator-events.ts';
import { syncErrorsView } from '../views/sync-errors.ts';
import { cacheCounts } from '../views/cache-counts.ts';
import { configSecrets } from '../../config/index.ts';

// Spec 002 "Check Sync Status" / "Verify APScheduler Jobs" and the spec 004 sync routes (under /api/admin).

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

const SyncStatus = Type.Object({
  success: Type.Literal(true),
  mode: Type.String(),
  sync: Type.Object({
    status: Type.String(),
    last_sync_at: NullableString,
    last_successful_sync_at: NullableString,
    total_syncs: Type.Integer(),
    successful_syncs: Type.Integer(),
    failed_syncs: Type.Integer(),
    /** Set while the running sync waits for the platform's request budget: when it resumes. */
    throttled_until: NullableString,
  }),
  /** The instance's request budget against the platform, as the platform last reported it; null when local-only. */
  platform_budget: Type.Union([Type.Object({
    limit: NullableInt,
    remaining: NullableInt,
    resets_at: NullableString,
    in_flight: Type.Integer(),
    blocked_until: NullableString,
    throttled_seconds: Type.Number(),
    requests: Type.Object({ ok: Type.Integer(), throttled: Type.Integer(), failed: Type.Integer() }),
  }), Type.Null()]),
  websocket: Type.Object({
    connected: Type.Boolean(),
    last_connected_at: NullableString,
    last_message_at: NullableString,
    fallback_to_polling: Type.Boolean(),
    reconnect_attempts: Type.Integer(),
  }),
  cache: Type.Object({ skills_count: Type.Integer(), categories_count: Type.Integer() }),
});

const Job = Type.Object({
  id: Type.String(),
  name: Type.String(),
  next_run_time: NullableString,
  trigger: Type.Literal('interval'),
  minutes: Type.Integer(),
});
const Jobs = Type.Object({ success: Type.Literal(true), jobs: Type.Array(Job) });

const ErrorsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) });
const SyncErrors = Type.Object({
  success: Type.Literal(true),
  errors: Type.Array(Type.Object({
    id: Type.Integer(),
    at: Type.String(),
    actor: Type.String(),
    event: Type.String(),
    from: NullableString,
    to: Type.String(),
    error: Type.Union([Type.Object({ kind: NullableString, message: Type.String(), status: NullableInt }), Type.Null()]),
  })),
  last_sync_error: NullableString,
});

const JobsChanged = Type.Object({ success: Type.Literal(true), event: Type.String(), paused: Type.Boolean() });

const CacheCleanup = Type.Object({ success: Type.Literal(true), skills_removed: Type.Integer(), categories_removed: Type.Integer() });

export const DEFAULT_ERRORS = 10;

/** GET /sync/status, POST /sync/trigger and /sync/skills, GET|DELETE|POST /sync/jobs, GET /sync/errors, DELETE /sync/cache/expired. */
export function registerSyncStatusRoutes(app: TypedApp): void {
  // The agent's own secrets, which no answer may carry (the agent is decorated before any route registers).
  const secrets = configSecrets(app.agent.config);
  const triggerSchema = { schema: { response: { 202: SyncAccepted, 409: RefusedResponse, ...adminErrors() } } };

  app.get('/sync/status', { schema: { response: { 200: SyncStatus, ...adminErrors() } } }, async () => {
    const { agent } = app;
    const sync = agent.store.syncState.get();
    const ws = agent.store.websocketState.get();
    const cycle = agent.actors.syncCycle;
    const budget = agent.budget?.status();
    return {
      success: true as const,
      mode: agent.mode(),
      sync: {
        status: cycle ? stateString(cycle.getSnapshot().value) : 'local-only',
        last_sync_at: iso(sync.lastSyncAt),
        last_successful_sync_at: iso(sync.lastSuccessfulSyncAt),
        total_syncs: sync.totalSyncs,
        successful_syncs: sync.successfulSyncs,
        failed_syncs: sync.failedSyncs,
        throttled_until: iso(cycle?.getSnapshot().context.throttledUntil),
      },
      platform_budget: budget
        ? {
            limit: budget.limit,
            remaining: budget.remaining,
            resets_at: iso(budget.resetAt),
            in_flight: budget.inFlight,
            blocked_until: iso(budget.blockedUntil),
            throttled_seconds: budget.throttledMs / 1000,
            requests: {
              ok: budget.requests.sync.ok + budget.requests.priority.ok,
              throttled: budget.requests.sync.throttled + budget.requests.priority.throttled,
              failed: budget.requests.sync.failed + budget.requests.priority.failed,
            },
          }
        : null,
      websocket: {
        connected: ws.connected,
        last_connected_at: iso(ws.lastConnectedAt),
        last_message_at: iso(ws.lastMessageAt),
        fallback_to_polling: ws.fallbackToPolling,
        reconnect_attempts: ws.reconnectAttempts,
      },
      cache: cacheCounts(agent),
    };
  });

  // Both are a full sync: the agent syncs skills and categories in one run.
  app.post('/sync/trigger', triggerSchema, async (_request, reply) => sendSyncEvent(app.agent.actors.syncCycle, 'sync.trigger', reply));
  app.post('/sync/skills', triggerSchema, async (_request, reply) => sendSyncEvent(app.agent.actors.syncCycle, 'sync.trigger', reply));

  app.get('/sync/jobs', { schema: { response: { 200: Jobs, ...adminErrors() } } }, async () => {
    const jobs = app.agent.scheduledJobs().map(({ nextRunAt, ...job }) => ({ ...job, next_run_time: iso(nextRunAt) }));
    return { success: true as const, jobs };
  });

  // Spec 002's emergency stop: the periodic runs stop (manual triggers still work) until
  // POST /sync/jobs resumes them or the agent restarts (ENABLE_SCHEDULER decides again).
  for (const [method, type] of [['DELETE', 'schedule.pause'], ['POST', 'schedule.resume']] as const) {
    app.route({
      method, url: '/sync/jobs',
      schema: { response: { 200: JobsChanged, 409: RefusedResponse, ...adminErrors() } },
      handler: async (_request, reply) => {
        const { syncCycle, ratingSync } = app.agent.actors;
        if (!syncCycle || !ratingSync) return sendError(reply, 503, LOCAL_ONLY);
        for (const actor of [syncCycle, ratingSync]) {
          const outcome = tryOperatorEvent(actor, { type });
          if ('status' in outcome) return sendError(reply, outcome.status, outcome.message, outcome.extra);
        }
        return { success: true as const, event: type, paused: type === 'schedule.pause' };
      },
    });
  }

  app.get('/sync/errors', { schema: { querystring: ErrorsQuery, response: { 200: SyncErrors, ...adminErrors() } } }, async (request) =>
    syncErrorsView(app.agent, request.query.limit ?? DEFAULT_ERRORS, secrets));

  app.delete('/sync/cache/expired', { schema: { response: { 200: CacheCleanup, ...adminErrors() } } }, async () => {
    const removed = app.agent.removeExpired();
    return { success: true as const, skills_removed: removed.skills, categories_removed: removed.categories };
  });
}
