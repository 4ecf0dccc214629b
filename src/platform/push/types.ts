// The contract between the reference platform's data side (src/platform/*, which owns the
// database and allocates `seq`) and its WebSocket push hub (src/platform/push/*).

export const PUSH_TYPES = ['skill_update', 'category_update', 'rating_update', 'skill_delete'] as const;
export type PushType = (typeof PUSH_TYPES)[number];

/**
 * One server → client message (spec 000 "Message Format", plus `seq`). `seq` strictly increases
 * across the whole platform and survives a restart: the data side allocates it in the same
 * transaction as the change it describes, and broadcasts only after that transaction commits.
 */
export interface PushMessage {
  type: PushType;
  data: Record<string, unknown>;
  /** ISO 8601 time of the change. */
  timestamp: string;
  seq: number;
}

/** Who a token belongs to, or null for a missing, unknown or revoked token. */
export type Authenticate = (token: string) => { instanceId: string } | null | Promise<{ instanceId: string } | null>;
