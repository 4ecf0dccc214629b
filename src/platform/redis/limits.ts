// Spec 000's per-instance limits (100 requests a minute, 10 in flight) held in Redis, so they
// hold for the instance as a whole whichever replica each request reaches. Each decision is one
// Lua script, atomic in Redis, timed by Redis's own clock (replica clocks may disagree).
// The HTTP hook (http/limits.ts) is the same as for the in-process limiter, so are its headers.

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface Budget {
  allowed: boolean;
  remaining: number;
  resetInMs: number;
}

export interface SharedRateLimiter {
  /** The window's length, for the RateLimit-Policy header. */
  readonly windowMs: number;
  hit(key: string): Promise<Budget>;
}

export interface SharedConcurrencyGate {
  tryAcquire(key: string): Promise<boolean>;
  release(key: string): void;
}

// A fixed window that opens on the key's first request, like createRateLimiter in rate-limit.ts.
const WINDOW_HIT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

// In-flight slots are leases in a sorted set scored by expiry: a replica killed mid-request
// cannot hold its slots longer than the lease.
const SLOT_ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

export interface RedisLimitsOptions {
  url: string;
  limit: number;
  windowMs: number;
  maxInFlight: number;
  /** How long a slot outlives a replica that died holding it (default 60 s: twice the request timeout). */
  leaseMs?: number;
  /** Keys are prefixed with this (several platforms may share one Redis). */
  prefix?: string;
  onError?: (err: unknown) => void;
}

export interface RedisLimits {
  limiter: SharedRateLimiter;
  gate: SharedConcurrencyGate;
  redis: Redis;
  close(): Promise<void>;
}

type LimitsRedis = Redis & {
  windowHit(key: string, windowMs: number): Promise<[number, number]>;
  slotAcquire(key: string, leaseMs: number, max: number, member: string): Promise<number>;
};

/**
 * When Redis does not answer, requests are let through (and the error logged): the limits are
 * politeness towards one instance, and an unreachable Redis must not take the API down with it.
 */
export async function connectRedisLimits(options: RedisLimitsOptions): Promise<RedisLimits> {
  const prefix = options.prefix ?? 'atom:platform:';
  const leaseMs = options.leaseMs ?? 60_000;
  const onError = options.onError ?? (() => undefined);
  const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 1_000, keyPrefix: prefix }) as LimitsRedis;
  redis.on('error', onError);
  redis.defineCommand('windowHit', { numberOfKeys: 1, lua: WINDOW_HIT });
  redis.defineCommand('slotAcquire', { numberOfKeys: 1, lua: SLOT_ACQUIRE });
  await redis.connect();
  // The slots this replica holds per key, so release(key) can give back one of its own.
  const held = new Map<string, string[]>();

  const limiter: SharedRateLimiter = {
    windowMs: options.windowMs,
    async hit(key) {
      try {
        const [n, ttl] = await redis.windowHit(`rl:${key}`, options.windowMs);
        return { allowed: n <= options.limit, remaining: Math.max(0, options.limit - n), resetInMs: Math.max(0, ttl) };
      } catch (err) {
        onError(err);
        return { allowed: true, remaining: options.limit, resetInMs: options.windowMs };
      }
    },
  };
  const gate: SharedConcurrencyGate = {
    async tryAcquire(key) {
      const member = randomUUID();
      try {
        if ((await redis.slotAcquire(`if:${key}`, leaseMs, options.maxInFlight, member)) !== 1) return false;
      } catch (err) {
        onError(err);
        return true;
      }
      const mine = held.get(key) ?? [];
      mine.push(member);
      held.set(key, mine);
      return true;
    },
    release(key) {
      const mine = held.get(key);
      const member = mine?.pop();
      if (mine && mine.length === 0) held.delete(key);
      if (member) redis.zrem(`if:${key}`, member).catch(onError);
    },
  };
  return {
    limiter,
    gate,
    redis,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
