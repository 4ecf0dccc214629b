import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { iso, NullableString } from '../schemas/common.ts';
import { probeReadiness } from '../health/readiness.ts';
import { syncHealth, type SyncHealthInput } from '../health/sync-health.ts';
import { stateString } from '../../runtime/actor-host.ts';
import { connectionStateName } from '../../runtime/websocket-row.ts';
import type { Agent } from '../../runtime/create-agent.ts';

const LiveResponse = Type.Object({ status: Type.Literal('healthy'), timestamp: Type.String() });

const ReadyResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Union([Type.Literal('connected'), Type.Literal('disconnected')]),
  disk_space_gb: Type.Union([Type.Number(), Type.Null()]),
  migrations_applied: Type.Boolean(),
  failing: Type.Array(Type.String()),
});

const SyncResponse = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  mode: Type.String(),
  sync: Type.Object({
    state: NullableString,
    last_sync_at: NullableString,
    last_successful_sync_at: NullableString,
    minutes_since_last_sync: Type.Union([Type.Integer(), Type.Null()]),
    minutes_since_last_success: Type.Union([Type.Integer(), Type.Null()]),
  }),
  websocket: Type.Object({ enabled: Type.Boolean(), connected: Type.Boolean(), state: NullableString, last_message_at: NullableString }),
  checks: Type.Object({
    database: Type.Boolean(), sync_fresh: Type.Boolean(), last_sync_ok: Type.Boolean(), authorized: Type.Boolean(), websocket_ok: Type.Boolean(),
  }),
  reasons: Type.Array(Type.String()),
});

/** Probes (spec 002 "Health Check Configuration"): no token, so Kubernetes needs no secret. */
export function registerHealthRoutes(app: TypedApp, options: { startedAt: number }): void {
  // Liveness does no I/O at all: a slow disk must not get a healthy process restarted.
  app.get('/health/live', { schema: { response: { 200: LiveResponse } } }, async () => ({
    status: 'healthy' as const,
    timestamp: new Date(app.agent.clock.now()).toISOString(),
  }));

  app.get('/health/ready', { schema: { response: { 200: ReadyResponse, 503: ReadyResponse } } }, async (_request, reply) => {
    const r = await probeReadiness(app.agent.store);
    return reply.code(r.ready ? 200 : 503).send({
      status: r.ready ? 'ready' : 'not_ready',
      database: r.database,
      disk_space_gb: r.diskSpaceGb,
      migrations_applied: r.migrationsApplied,
      failing: r.failing,
    });
  });

  app.get('/health/sync', { schema: { response: { 200: SyncResponse, 503: SyncResponse } } }, async (_request, reply) => {
    const body = syncHealthBody(app.agent, options.startedAt);
    return reply.code(body.status === 'unhealthy' ? 503 : 200).send(body);
  });
}

/** Reads the sync_state row and the live actors, and maps the verdict to the response DTO. */
function syncHealthBody(agent: Agent, startedAt: number) {
  const now = agent.clock.now();
  const connection = agent.actors.connection?.getSnapshot();
  const websocket = {
    enabled: agent.config.saas.enabled && agent.config.saas.wsEnabled,
    state: connection ? connectionStateName(connection) : null,
    connected: connection?.hasTag('realtime') ?? false,
  };
  const syncState = agent.actors.syncCycle ? stateString(agent.actors.syncCycle.getSnapshot().value) : null;
  let row: ReturnType<Agent['store']['syncState']['get']> | undefined;
  try {
    row = agent.store.syncState.get();
  } catch {
    row = undefined; // the database is gone: nothing below can be trusted
  }
  const input: SyncHealthInput = {
    now, startedAt, localOnly: agent.mode() === 'local-only',
    syncIntervalMs: agent.config.saas.syncIntervalMinutes * 60_000,
    syncState,
    lastSyncAt: row?.lastSyncAt ?? null,
    lastSuccessfulSyncAt: row?.lastSuccessfulSyncAt ?? null,
    // A retry in progress means the last attempt failed, even before the row records it.
    lastSyncFailed: (row?.lastError ?? null) !== null || syncState === 'failed' || syncState === 'retrying',
    websocket,
  };
  const verdict = syncHealth(input);
  const status = row ? verdict.status : 'unhealthy';
  return {
    status,
    mode: agent.mode(),
    sync: {
      state: syncState,
      last_sync_at: iso(input.lastSyncAt),
      last_successful_sync_at: iso(input.lastSuccessfulSyncAt),
      minutes_since_last_sync: verdict.minutesSinceLastSync,
      minutes_since_last_success: verdict.minutesSinceLastSuccess,
    },
    websocket: { ...websocket, last_message_at: iso(connection?.context.lastMessageAt) },
    checks: { database: row !== undefined, ...verdict.checks },
    reasons: row ? verdict.reasons : ['the agent database cannot be read', ...verdict.reasons],
  };
}
