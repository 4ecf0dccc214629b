import type { SnapshotFrom } from 'xstate';
import type { connectionMachine } from '../../machines/connection.ts';
import type { WebSocketState } from '../store/index.ts';

type ConnectionSnapshot = SnapshotFrom<typeof connectionMachine>;

/** The state operators know (spec 002/004): `open` and `connecting` rather than `link.open`. */
export function connectionStateName(snapshot: ConnectionSnapshot): string {
  const value = snapshot.value;
  return typeof value === 'string' ? value : Object.values(value as Record<string, string>)[0] ?? 'unknown';
}

/** The websocket_state row for a connection snapshot (lastDisconnectedAt is stamped by the caller). */
export function websocketRow(snapshot: ConnectionSnapshot): Omit<WebSocketState, 'updatedAt' | 'lastDisconnectedAt'> {
  const c = snapshot.context;
  const connected = snapshot.hasTag('realtime');
  return {
    state: connectionStateName(snapshot),
    connected,
    connectedAt: connected ? c.connectedAt : null,
    lastConnectedAt: c.connectedAt,
    lastMessageAt: c.lastMessageAt,
    lastDisconnectReason: c.lastDisconnectReason,
    reconnectAttempts: c.reconnectAttempts,
    consecutiveFailures: c.consecutiveFailures,
    // A probe of an outage fallback is still the fallback (polling only).
    fallbackToPolling: snapshot.value === 'fallback' || (snapshot.value === 'probing' && c.fallbackUntil !== null),
    fallbackUntil: c.fallbackUntil,
    nextAttemptAt: c.nextAttemptAt,
  };
}
