import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { redactText } from '../../logging/redact.ts';
import { stateString } from '../../runtime/actor-host.ts';
import { adminErrors, iso, NullableString, RefusedResponse } from '../schemas/common.ts';
import { sendSyncEvent, SyncAccepted } from '../actors/sync-events.ts';
import { configSecrets } from '../../config/index.ts';

const WebSocketStatus = Type.Object({
  success: Type.Literal(true),
  mode: Type.String(),
  /** The connection actor's state; null in local-only mode (there is no connection actor). */
  state: NullableString,
  enabled: Type.Boolean(),
  connected: Type.Boolean(),
  connected_at: NullableString,
  last_connected_at: NullableString,
  last_disconnected_at: NullableString,
  last_disconnect_reason: NullableString,
  last_message_at: NullableString,
  reconnect_attempts: Type.Integer(),
  consecutive_failures: Type.Integer(),
  fallback_to_polling: Type.Boolean(),
  fallback_until: NullableString,
  next_attempt_at: NullableString,
  updated_at: NullableString,
  // The spec 004 runbook's names for the same facts.
  last_message: NullableString,
  reconnect_count: Type.Integer(),
});

const EventSchema = { schema: { response: { 202: SyncAccepted, 409: RefusedResponse, ...adminErrors() } } };

/** GET /sync/websocket/status, POST /sync/websocket/{reconnect,disable,enable} (under /api/admin). */
export function registerSyncWebSocketRoutes(app: TypedApp): void {
  // The agent's own secrets, which no answer may carry (the agent is decorated before any route registers).
  const secrets = configSecrets(app.agent.config);
  app.get('/sync/websocket/status', { schema: { response: { 200: WebSocketStatus, ...adminErrors() } } }, async () => {
    const row = app.agent.store.websocketState.get();
    const connection = app.agent.actors.connection?.getSnapshot();
    const state = connection ? stateString(connection.value) : null;
    return {
      success: true as const,
      mode: app.agent.mode(),
      state,
      // Disabled by configuration (ATOM_SAAS_WS_ENABLED=false) or by connection.disable.
      enabled: state !== null && !connection!.matches('disabled'),
      connected: row.connected,
      connected_at: iso(row.connectedAt),
      last_connected_at: iso(row.lastConnectedAt),
      last_disconnected_at: iso(row.lastDisconnectedAt),
      last_disconnect_reason: row.lastDisconnectReason === null ? null : redactText(row.lastDisconnectReason, secrets),
      last_message_at: iso(row.lastMessageAt),
      reconnect_attempts: row.reconnectAttempts,
      consecutive_failures: row.consecutiveFailures,
      fallback_to_polling: row.fallbackToPolling,
      fallback_until: iso(row.fallbackUntil),
      next_attempt_at: iso(row.nextAttemptAt),
      updated_at: iso(row.updatedAt),
      last_message: iso(row.lastMessageAt),
      reconnect_count: row.reconnectAttempts,
    };
  });

  for (const action of ['reconnect', 'disable', 'enable'] as const) {
    app.post(`/sync/websocket/${action}`, EventSchema, async (_request, reply) =>
      sendSyncEvent(app.agent.actors.connection, `connection.${action}`, reply));
  }
}
