import type { Database } from 'better-sqlite3';

/** The websocket_state row (id = 1), as the connection chart last left it. */
export interface WebSocketState {
  state: string;
  connected: boolean;
  connectedAt: number | null;
  lastConnectedAt: number | null;
  lastDisconnectedAt: number | null;
  lastMessageAt: number | null;
  lastDisconnectReason: string | null;
  reconnectAttempts: number;
  consecutiveFailures: number;
  fallbackToPolling: boolean;
  fallbackUntil: number | null;
  nextAttemptAt: number | null;
  updatedAt: number;
}

const FIELDS: Record<keyof Omit<WebSocketState, 'updatedAt'>, string> = {
  state: 'state',
  connected: 'connected',
  connectedAt: 'connected_at',
  lastConnectedAt: 'last_connected_at',
  lastDisconnectedAt: 'last_disconnected_at',
  lastMessageAt: 'last_message_at',
  lastDisconnectReason: 'last_disconnect_reason',
  reconnectAttempts: 'reconnect_attempts',
  consecutiveFailures: 'consecutive_failures',
  fallbackToPolling: 'fallback_to_polling',
  fallbackUntil: 'fallback_until',
  nextAttemptAt: 'next_attempt_at',
};

export function createWebSocketStateRepository(db: Database) {
  const select = db.prepare<[], Record<string, unknown>>('SELECT * FROM websocket_state WHERE id = 1');
  // One statement writes every field; `iif(@column__set, ...)` keeps the fields the caller did not pass.
  const assignments = Object.values(FIELDS).map((column) => `${column} = iif(@${column}__set, @${column}, ${column})`);
  const update = db.prepare(`UPDATE websocket_state SET ${assignments.join(', ')}, updated_at = @updated_at WHERE id = 1`);

  return {
    get(): WebSocketState {
      const row = select.get();
      if (!row) throw new Error('websocket_state row missing: the database was not migrated');
      const out: Record<string, unknown> = { updatedAt: row.updated_at };
      for (const [key, column] of Object.entries(FIELDS)) {
        const value = row[column];
        out[key] = key === 'connected' || key === 'fallbackToPolling' ? value === 1 : value;
      }
      return out as unknown as WebSocketState;
    },
    /** Writes the given fields, leaves the others as they are. */
    save(patch: Partial<Omit<WebSocketState, 'updatedAt'>>, now: number): void {
      const params: Record<string, unknown> = { updated_at: now };
      for (const [key, column] of Object.entries(FIELDS)) {
        const given = Object.prototype.hasOwnProperty.call(patch, key);
        const value = (patch as Record<string, unknown>)[key];
        params[`${column}__set`] = given ? 1 : 0;
        params[column] = typeof value === 'boolean' ? (value ? 1 : 0) : (value ?? null);
      }
      update.run(params);
    },
  };
}

export type WebSocketStateRepository = ReturnType<typeof createWebSocketStateRepository>;
