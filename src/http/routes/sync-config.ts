import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { redactedConfig } from '../../config/view.ts';
import { adminErrors } from '../schemas/common.ts';

// The configuration as redactedConfig shows it (tokens masked, URLs without credentials). The schema
// names every field: a field added to AgentConfig stays inside the process until it is listed here.

const Saas = Type.Object({
  enabled: Type.Boolean(),
  apiUrl: Type.String(),
  apiToken: Type.String(),
  wsUrl: Type.String(),
  wsEnabled: Type.Boolean(),
  syncIntervalMinutes: Type.Number(),
  ratingSyncIntervalMinutes: Type.Number(),
  wsReconnectAttempts: Type.Number(),
  wsHeartbeatIntervalSeconds: Type.Number(),
  conflictStrategy: Type.String(),
  apiTimeoutSeconds: Type.Number(),
  syncBatchSize: Type.Number(),
  wsFallbackAfterFailures: Type.Number(),
  wsFallbackMinutes: Type.Number(),
  wsPongTimeoutSeconds: Type.Number(),
  wsBackoffJitter: Type.Number(),
});

const SyncConfig = Type.Object({
  success: Type.Literal(true),
  config: Type.Object({
    saas: Saas,
    scheduler: Type.Object({ enabled: Type.Boolean() }),
    db: Type.Object({ path: Type.String() }),
    http: Type.Object({ host: Type.String(), port: Type.Integer(), adminToken: Type.Optional(Type.String()) }),
    log: Type.Object({ level: Type.String() }),
  }),
});

/** GET /sync/config (under /api/admin). */
export function registerSyncConfigRoutes(app: TypedApp): void {
  app.get('/sync/config', { schema: { response: { 200: SyncConfig, ...adminErrors() } } }, async () =>
    ({ success: true as const, config: redactedConfig(app.agent.config) }));
}
