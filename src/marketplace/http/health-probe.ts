import { Agent, request, type Dispatcher } from 'undici';

/** How long one probe may take, connect and body included: a platform slower than this counts as down. */
export const HEALTH_PROBE_TIMEOUT_MS = 5_000;
/** More than a health answer ever holds; the rest is not read. */
const MAX_BODY_BYTES = 64 * 1024;

export interface HealthProbeOptions {
  /** The platform's base URL (ATOM_SAAS_API_URL); the probe asks <base>/health. */
  baseUrl: string;
  timeoutMs?: number;
  now?: () => number;
}

export interface HealthAnswer {
  status: number;
  ms: number;
}

/** The platform did not answer GET /health with a 2xx: refused, reset, timed out, or a gateway error. */
export class PlatformUnreachable extends Error {
  override readonly name = 'PlatformUnreachable';
}

/**
 * Asks whether the platform as a whole answers: the unauthenticated `GET <base>/health` of spec 002,
 * with its own short deadline, no token and its own connection, outside the platform client and its
 * request budget. Resolves with the status on a 2xx; anything else (connection refused or reset, the
 * deadline, a 5xx from the platform or a gateway in front of it) rejects with PlatformUnreachable.
 * Each probe opens a fresh connection and closes it (`reset`): a keep-alive socket left from before
 * a platform restart would fail the first probe after it for nothing.
 */
export function createHealthProbe(options: HealthProbeOptions) {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const url = new URL('health', base);
  const timeoutMs = options.timeoutMs ?? HEALTH_PROBE_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const dispatcher: Dispatcher = new Agent({ connections: 2, keepAliveTimeout: 1_000, connect: { timeout: timeoutMs } });

  return {
    url: url.toString(),
    /** One probe; `signal` aborts it (the chart left the state that asked). */
    async probe(signal?: AbortSignal): Promise<HealthAnswer> {
      const started = now();
      const deadline = AbortSignal.timeout(timeoutMs);
      try {
        const response = await request(url, {
          method: 'GET',
          dispatcher,
          reset: true,
          signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
          headers: { accept: 'application/json' },
        });
        await response.body.dump({ limit: MAX_BODY_BYTES });
        if (response.statusCode < 200 || response.statusCode >= 300) throw new PlatformUnreachable(`GET ${url.pathname}: HTTP ${response.statusCode}`);
        return { status: response.statusCode, ms: now() - started };
      } catch (error) {
        if (error instanceof PlatformUnreachable) throw error;
        const e = error as { code?: string; name?: string; message?: string };
        const why = e?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e?.code ?? e?.message ?? 'failed');
        throw new PlatformUnreachable(`GET ${url.pathname}: ${why}`);
      }
    },
    close: () => dispatcher.close(),
  };
}

export type HealthProbe = ReturnType<typeof createHealthProbe>;
