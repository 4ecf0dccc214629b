import type { ConflictStrategy } from '../conflicts/index.ts';
import type { Logger } from '../logging/logger.ts';
import { parseMessage, type DropReason, type InboundMessage } from '../marketplace/socket/messages.ts';
import { fullBucket, takeToken, type TokenBucket, type TokenBucketPolicy } from '../policy/token-bucket.ts';
import type { Store } from '../store/index.ts';
import { applyRemoteChanges } from './apply-remote.ts';
import type { Clock } from '../policy/clock.ts';

/** Counters of the real-time path, read by metrics and the admin API. */
export interface RealtimeStats {
  received: Record<InboundMessage['type'], number>;
  dropped: Record<DropReason, number>;
  seqGaps: number;
}

export function emptyRealtimeStats(): RealtimeStats {
  return {
    received: { skill_update: 0, category_update: 0, rating_update: 0, skill_delete: 0, ping: 0 },
    dropped: { too_large: 0, malformed: 0, unknown_type: 0, invalid: 0, rate_limited: 0 },
    seqGaps: 0,
  };
}

export interface MessageHandlerDeps {
  store: Store;
  clock: Clock;
  strategy: () => ConflictStrategy;
  stats: RealtimeStats;
  /** A message's seq skipped some: the socket missed updates, catch up over HTTP. */
  onSeqGap: () => void;
  logger?: Logger;
  /** Spec 000: 100 messages per second; the excess is dropped. */
  rate?: TokenBucketPolicy;
  /** Called after a message's transaction committed (benches measure push-to-cache latency). */
  onApplied?: (message: Exclude<InboundMessage, { type: 'ping' }>) => void;
}

/**
 * Handles each WebSocket frame: rate cap, parse and validate, then apply through applyRemoteChanges,
 * the idempotent, conflict-aware write path sync pages take too (page-writer.ts), in one transaction
 * with the last applied `seq`. Duplicates and out-of-order messages converge to the newest version,
 * because the store never moves back.
 */
export function createMessageHandler(deps: MessageHandlerDeps) {
  const { store, clock, stats } = deps;
  const rate = deps.rate ?? { capacity: 100, refillPerSecond: 100 };
  let bucket: TokenBucket = fullBucket(rate, clock.now());
  let droppedSinceWarning = 0;
  let lastWarningAt = Number.NEGATIVE_INFINITY;

  // One warning per second at most, however many messages a flood drops.
  const warnDropped = (now: number) => {
    droppedSinceWarning += 1;
    if (now - lastWarningAt < 1000) return;
    deps.logger?.warn({ dropped: droppedSinceWarning }, 'WebSocket message rate above 100/s: excess dropped');
    lastWarningAt = now;
    droppedSinceWarning = 0;
  };

  function apply(message: Exclude<InboundMessage, { type: 'ping' }>, now: number): void {
    store.transaction(() => {
      switch (message.type) {
        case 'skill_update':
          applyRemoteChanges(store, [message.data], [], deps.strategy(), now);
          break;
        case 'skill_delete':
          applyRemoteChanges(store, [], [message.data], deps.strategy(), now);
          break;
        case 'category_update':
          store.categories.upsert(message.data, now);
          break;
        case 'rating_update':
          store.skills.applyRatingSummary(message.data);
          break;
      }
      if (message.seq !== null) {
        const last = store.syncState.get().highWaterSeq;
        if (last > 0 && message.seq > last + 1) {
          stats.seqGaps += 1;
          deps.onSeqGap();
        }
        store.syncState.advanceSeq(message.seq);
      }
    });
  }

  return (frame: Buffer, reply: (message: unknown) => void): void => {
    const now = clock.now();
    const taken = takeToken(bucket, now, rate);
    bucket = taken.bucket;
    if (!taken.allowed) {
      stats.dropped.rate_limited += 1;
      warnDropped(now);
      return;
    }
    const parsed = parseMessage(frame);
    if (!parsed.ok) {
      stats.dropped[parsed.reason] += 1;
      deps.logger?.debug({ reason: parsed.reason, detail: parsed.detail }, 'WebSocket message dropped');
      return;
    }
    const { message } = parsed;
    stats.received[message.type] += 1;
    if (message.type === 'ping') {
      reply({ type: 'pong', timestamp: new Date(now).toISOString() });
      return;
    }
    try {
      apply(message, now);
      deps.onApplied?.(message);
    } catch (error) {
      // A message the store refuses is dropped like an invalid one; the socket stays up.
      stats.dropped.invalid += 1;
      deps.logger?.warn({ err: error, type: message.type }, 'WebSocket message could not be applied');
    }
  };
}
