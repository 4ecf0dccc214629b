import type { ConflictStrategy } from '../conflicts/strategies.ts';
import type { LogLevel } from '../logging/levels.ts';

/** The validated configuration of the agent. Built once at start-up by loadConfig. */
export interface AgentConfig {
  saas: SaasConfig;
  scheduler: { enabled: boolean };
  db: { path: string };
  /** allowedHosts: ATOM_HTTP_ALLOWED_HOSTS as given (validated), comma-separated; '' = none. */
  http: { host: string; port: number; adminToken: string | undefined; allowedHosts: string };
  log: { level: LogLevel };
}

export interface SaasConfig {
  /** false: local marketplace only; the remaining fields then hold defaults and are not used. */
  enabled: boolean;
  apiUrl: string;
  apiToken: string;
  wsUrl: string;
  wsEnabled: boolean;
  syncIntervalMinutes: number;
  ratingSyncIntervalMinutes: number;
  wsReconnectAttempts: number;
  wsHeartbeatIntervalSeconds: number;
  conflictStrategy: ConflictStrategy;
  apiTimeoutSeconds: number;
  syncBatchSize: number;
  /** ATOM_SYNC_WORKER: sync runs on a worker thread. */
  syncWorker: boolean;
  wsFallbackAfterFailures: number;
  wsFallbackMinutes: number;
  wsPongTimeoutSeconds: number;
  wsBackoffJitter: number;
}

/** One thing wrong with the configuration; `value` is already masked when the variable is a secret. */
export interface ConfigProblem {
  variable: string;
  value: string | undefined;
  problem: string;
  allowed: string;
}

/** Where each raw value came from, for `check-config` and for precedence tests. */
export type ValueSource = 'env' | '.env' | 'default' | 'derived';
