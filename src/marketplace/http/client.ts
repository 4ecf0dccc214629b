import { Agent, request, type Dispatcher } from 'undici';
import { classifyOutcome } from '../../policy/outcome.ts';
import { redactText } from '../../logging/redact.ts';
import { jsonTextDepthExceeds, MAX_RESPONSE_DEPTH } from '../json-depth.ts';
import { checkCategory, checkListingEnvelope, checkSkill, checkTombstone, partition } from '../validate.ts';
import type { RemoteCategory, RemoteSkill, SkillTombstone } from '../../contract/wire-types.ts';
import { startDeadline } from './deadline.ts';
import { describeRedirect } from './redirect.ts';
import { PlatformError } from './platform-error.ts';
import { describeStatus, classifyRequestError, readBounded } from './response-reading.ts';
import type { BudgetObservation, Lane } from '../../policy/request-budget.ts';
import { createRequestBudget, type BudgetGate } from './request-budget.ts';
import { readBudgetFields } from './rate-limit-fields.ts';
import { throttleResend } from './throttle-resend.ts';

export interface PlatformClientOptions {
  /** Base URL; requests go to <baseUrl>/api/v1/... */
  baseUrl: string;
  token: string;
  /** Overall deadline of one request, headers and body included (ATOM_SAAS_API_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** Largest response body read before the request is abandoned. */
  maxBodyBytes?: number;
  /** Pool size of the keep-alive agent. */
  connections?: number;
  now?: () => number;
  /** A dispatcher to use instead of the client's own pooled agent (tests, proxies). */
  dispatcher?: Dispatcher;
  /** Every exchange: `answered` when the platform itself responded (status < 500), false when the network or a gateway failed. */
  onExchange?: (answered: boolean) => void;
  /**
   * The instance's request budget every request draws from (one per agent, shared with the sync
   * worker); without one the client paces itself with a budget of its own.
   */
  budget?: BudgetGate;
  /** A 429 whose Retry-After is longer than this fails the request instead of waiting (default 10 min). */
  maxThrottleWaitMs?: number;
}

export interface SkillPageQuery {
  pageSize: number;
  /** Keyset position from the previous page; omit for the first page. */
  cursor?: string;
  /** Offset paging, for platforms without cursor support. */
  page?: number;
  /** Only skills changed at or after this ISO time (incremental sync). */
  updatedSince?: string;
  includeDeleted?: boolean;
  /** ETag of an earlier identical request: a 304 answers `notModified`. */
  ifNoneMatch?: string;
}

export type SkillListing =
  | { notModified: true; etag: string | undefined }
  | {
      notModified: false;
      skills: RemoteSkill[];
      deleted: SkillTombstone[];
      /** null at the end of a cursor listing; undefined when the platform has no cursor support. */
      nextCursor: string | null | undefined;
      page: number;
      totalPages: number;
      total: number;
      highWaterSeq: number | undefined;
      etag: string | undefined;
      /** Entries dropped because they failed validation, with the reasons. */
      rejected: string[];
    };

export interface RatingUpload {
  skill_id: string;
  rating: number;
  comment?: string | null;
  user_id: string;
  updated_at: string;
  client_rating_id: string;
}

export interface RatingReceipt {
  rating_id: string | null;
  average_rating: number | undefined;
  rating_count: number | undefined;
}

const DEFAULT_MAX_BODY = 64 * 1024 * 1024;
/** Ids per POST /skills/lookup (the platform's ceiling). */
const LOOKUP_BATCH = 1000;

/**
 * The agent's client of the platform API, on one pooled keep-alive undici Agent. Every request has
 * one overall deadline (an AbortSignal covering headers and body), so a server that drips bytes
 * cannot hang a sync. Every failure is a PlatformError with a kind; nothing here retries: the
 * charts decide, and a POST is only ever repeated with its idempotency key.
 */
/** How long close() waits for requests in flight before aborting them. */
const CLOSE_GRACE_MS = 1000;

export function createPlatformClient(options: PlatformClientOptions) {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const ownAgent = options.dispatcher ? undefined : new Agent({ connections: options.connections ?? 16, keepAliveTimeout: 30_000, pipelining: 1 });
  const dispatcher: Dispatcher = options.dispatcher ?? ownAgent!;
  const now = options.now ?? Date.now;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const secrets = [options.token];
  // Aborts every request in flight when close() has waited long enough.
  const closing = new AbortController();
  const ownBudget = options.budget ? undefined : createRequestBudget({ clock: { now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout) } });
  const budget: BudgetGate = options.budget ?? ownBudget!;
  const maxThrottleWaitMs = options.maxThrottleWaitMs ?? 10 * 60_000;

  type CallInit = { query?: Record<string, string | number | boolean | undefined>; body?: unknown; headers?: Record<string, string>; lane?: Lane; idempotent?: boolean };

  /**
   * One request through the budget. A 429 is flow control: the budget holds the next attempt until
   * the platform's Retry-After, and an idempotent request (GET; a POST with its idempotency key) is
   * sent again, for as long as the waits stay within maxThrottleWaitMs.
   */
  async function call(method: 'GET' | 'POST', path: string, init: CallInit = {}) {
    const startedAt = now();
    for (;;) {
      try {
        return await attempt(method, path, init);
      } catch (error) {
        if (!throttleResend(error, { method, idempotent: init.idempotent === true, waitedMs: now() - startedAt, maxThrottleWaitMs })) throw error;
      }
    }
  }

  async function attempt(method: 'GET' | 'POST', path: string, init: CallInit) {
    const lane = init.lane ?? 'sync';
    const permit = await budget.acquire(lane);
    // Settled once the body is read: the platform frees the in-flight slot when its response ends.
    let observation: BudgetObservation | null = null;
    try {
      return await send(method, path, init, (seen) => (observation = seen));
    } finally {
      budget.settle(permit, observation);
    }
  }

  async function send(method: 'GET' | 'POST', path: string, init: CallInit, settle: (observation: BudgetObservation) => void) {
    const url = new URL(`api/v1/${path}`, base);
    for (const [key, value] of Object.entries(init.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    // The deadline covers headers and body, and is held until the body is read (deadline.ts).
    const deadline = startDeadline(options.timeoutMs, closing.signal);
    try {
      return await exchange(method, path, url, deadline.signal, init, settle);
    } finally {
      deadline.clear();
    }
  }

  async function exchange(
    method: 'GET' | 'POST',
    path: string,
    url: URL,
    signal: AbortSignal,
    init: { body?: unknown; headers?: Record<string, string> },
    settle: (observation: BudgetObservation) => void,
  ) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method,
        dispatcher,
        signal,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch (error) {
      options.onExchange?.(false);
      throw new PlatformError(classifyRequestError(error, method, url, secrets, now));
    }
    const { statusCode, headers } = response;
    options.onExchange?.(statusCode < 500);
    const header = (name: string): string | undefined => {
      const value = headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    settle(readBudgetFields(statusCode, header, now()));
    if (statusCode === 304) {
      await response.body.dump();
      return { status: 304, json: undefined as unknown, etag: header('etag') };
    }
    let text: string;
    try {
      text = await readBounded(response.body, statusCode >= 200 && statusCode < 300 ? maxBody : 64 * 1024);
    } catch (error) {
      throw new PlatformError(classifyRequestError(error, method, url, secrets, now));
    }
    // Described only when it failed: describing parses the body, which for a page is the whole listing.
    const message = statusCode >= 200 && statusCode < 300
      ? `HTTP ${statusCode}`
      : statusCode >= 300 && statusCode < 400
        ? redactText(`${method} ${url.pathname}: ${describeRedirect(statusCode, header('location'), url, secrets)}`, secrets)
        : describeStatus(method, url, statusCode, text, secrets);
    const outcome = classifyOutcome({ status: statusCode, retryAfter: header('retry-after'), message }, now());
    if (outcome.kind !== 'ok') throw new PlatformError(outcome);
    // Checked before parsing: JSON.parse reads any depth, but millions of levels hold the event loop for seconds.
    if (jsonTextDepthExceeds(text, MAX_RESPONSE_DEPTH)) {
      throw new PlatformError({ kind: 'invalid', status: statusCode, message: `${method} ${path}: the response nests deeper than ${MAX_RESPONSE_DEPTH} levels` });
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new PlatformError({ kind: 'transient', status: statusCode, message: `${method} ${path}: the response is not JSON (truncated?)` });
    }
    return { status: statusCode, json, etag: header('etag') };
  }

  return {
    async listCategories(): Promise<{ categories: RemoteCategory[]; rejected: string[] }> {
      const { json } = await call('GET', 'categories');
      const list = (json as { categories?: unknown })?.categories;
      if (!Array.isArray(list)) throw invalidShape('categories', 'categories is not a list');
      const { valid, rejected } = partition(list, checkCategory);
      return { categories: valid, rejected };
    },

    async listSkills(query: SkillPageQuery): Promise<SkillListing> {
      const { status, json, etag } = await call('GET', 'skills', {
        query: {
          page_size: query.pageSize,
          cursor: query.cursor,
          page: query.cursor === undefined ? query.page : undefined,
          updated_since: query.updatedSince,
          include_deleted: query.includeDeleted ? true : undefined,
        },
        headers: query.ifNoneMatch ? { 'if-none-match': query.ifNoneMatch } : undefined,
      });
      if (status === 304) return { notModified: true, etag };
      const envelope = checkListingEnvelope(json);
      if (!envelope.ok) throw invalidShape('skills', envelope.reason);
      const body = envelope.value;
      const skills = partition(body.skills, checkSkill);
      const deleted = partition(body.deleted, checkTombstone);
      const seq = (json as { high_water_seq?: unknown }).high_water_seq;
      return {
        notModified: false,
        skills: skills.valid,
        deleted: deleted.valid,
        nextCursor: body.nextCursor,
        page: body.page ?? query.page ?? 1,
        totalPages: body.totalPages ?? 1,
        total: body.total,
        highWaterSeq: Number.isSafeInteger(seq) ? (seq as number) : undefined,
        etag,
        rejected: [...skills.rejected, ...deleted.rejected],
      };
    },

    /** Whether the platform still has the skill (GET /skills/{id}: 404 or 410 mean no; other failures throw). */
    async skillExists(skillId: string): Promise<boolean> {
      try {
        await call('GET', `skills/${encodeURIComponent(skillId)}`);
        return true;
      } catch (error) {
        if (error instanceof PlatformError && (error.status === 404 || error.status === 410)) return false;
        throw error;
      }
    },

    /**
     * Which of `skillIds` the platform still has: one POST /skills/lookup per 1000 ids. A platform
     * without the look-up (404/405) is asked one GET /skills/{id} per id instead.
     */
    async existingSkills(skillIds: readonly string[]): Promise<Set<string>> {
      const found = new Set<string>();
      for (let i = 0; i < skillIds.length; i += LOOKUP_BATCH) {
        const batch = skillIds.slice(i, i + LOOKUP_BATCH);
        let existing: unknown;
        try {
          // Read-only: sending it again after a 429 is harmless.
          const { json } = await call('POST', 'skills/lookup', { body: { skill_ids: batch }, idempotent: true });
          existing = (json as { existing?: unknown } | undefined)?.existing;
        } catch (error) {
          if (!(error instanceof PlatformError && (error.status === 404 || error.status === 405))) throw error;
          for (const id of batch) if (await this.skillExists(id)) found.add(id);
          continue;
        }
        if (!Array.isArray(existing)) throw invalidShape('skills/lookup', 'existing is not a list');
        const asked = new Set(batch);
        for (const id of existing) if (typeof id === 'string' && asked.has(id)) found.add(id);
      }
      return found;
    },

    async submitRating(rating: RatingUpload): Promise<RatingReceipt> {
      // Priority lane: a flush is served from the reserve even while a long sync waits for a window.
      // client_rating_id makes a re-send after a 429 harmless.
      const { json } = await call('POST', 'ratings', { body: rating, lane: 'priority', idempotent: true });
      const body = (json ?? {}) as Record<string, unknown>;
      return {
        rating_id: typeof body.rating_id === 'string' ? body.rating_id : null,
        average_rating: typeof body.average_rating === 'number' ? body.average_rating : undefined,
        rating_count: typeof body.rating_count === 'number' ? body.rating_count : undefined,
      };
    },

    /**
     * Lets requests in flight finish for up to `graceMs`, then aborts them: against a stalled platform
     * a graceful close alone would hold the agent's shutdown for a whole request deadline.
     */
    async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
      ownBudget?.close();
      if (!ownAgent) return;
      let timer: NodeJS.Timeout | undefined;
      const graceful = ownAgent.close();
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([graceful, late]);
      clearTimeout(timer);
      closing.abort(new Error('the platform client is closing'));
      await graceful;
    },
  };
}

export type PlatformClient = ReturnType<typeof createPlatformClient>;

function invalidShape(path: string, reason: string): PlatformError {
  return new PlatformError({ kind: 'invalid', status: 200, message: `GET ${path}: ${reason}` });
}
