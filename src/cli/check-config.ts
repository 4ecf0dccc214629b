import { loadConfig, formatProblems, VARIABLES } from '../config/index.ts';
import { maskSecret, redactUrl } from '../logging/redact.ts';
import type { Command } from './command.ts';

/** `atom-sync check-config`: validates the configuration and shows each value and where it came from. */
export const checkConfigCommand: Command = {
  summary: 'validate the configuration and print it, secrets masked (exit 1 on any problem)',
  usage: [
    'usage: atom-sync check-config [--json]',
    '',
    'Reads the environment and ./.env (or ATOM_ENV_FILE), validates every variable and prints',
    'each value with its source (env, .env, default, derived). Exits 1 listing every problem.',
    '  --json   print {ok, variables} (or {ok: false, problems} with exit 1) as JSON on stdout',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  examples: [
    'atom-sync check-config',
    'ATOM_SAAS_ENABLED=false atom-sync check-config --json',
    'ATOM_ENV_FILE=/etc/atom-sync.env atom-sync check-config',
  ],
  async run({ values }) {
    const asJson = values.json === true;
    const result = loadConfig();
    for (const warning of result.warnings) process.stderr.write(`atom-sync: warning: ${warning}\n`);
    if (!result.ok) {
      // The problems' values are already masked (secrets) and redacted (URL credentials) by loadConfig.
      if (asJson) process.stdout.write(`${JSON.stringify({ ok: false, problems: result.problems, warnings: result.warnings }, null, 2)}\n`);
      process.stderr.write(`atom-sync: ${formatProblems(result.problems)}\n`);
      return 1;
    }
    const rows = VARIABLES.map((spec) => {
      const raw = rawValue(spec.name, result.config);
      const shown = spec.kind === 'secret' ? maskSecret(raw) : spec.kind === 'url' ? redactUrl(raw ?? '') : (raw ?? '');
      return { variable: spec.name, value: shown, source: result.sources[spec.name] ?? 'default' };
    });
    if (asJson) {
      process.stdout.write(`${JSON.stringify({ ok: true, variables: rows }, null, 2)}\n`);
    } else {
      const width = Math.max(...rows.map((r) => r.variable.length));
      // An empty value reads as (none): a blank column looks like a variable check-config forgot.
      for (const r of rows) process.stdout.write(`${r.variable.padEnd(width)}  ${r.value === '' ? '(none)' : r.value}  (${r.source})\n`);
      process.stdout.write('configuration ok\n');
    }
    return 0;
  },
};

function rawValue(name: string, config: import('../config/index.ts').AgentConfig): string | undefined {
  const s = config.saas;
  const map: Record<string, unknown> = {
    ATOM_SAAS_ENABLED: s.enabled, ATOM_SAAS_API_URL: s.apiUrl, ATOM_SAAS_API_TOKEN: s.apiToken,
    ATOM_SAAS_WS_URL: s.wsUrl, ATOM_SAAS_WS_ENABLED: s.wsEnabled,
    ATOM_SAAS_SYNC_INTERVAL_MINUTES: s.syncIntervalMinutes, ATOM_SAAS_RATING_SYNC_INTERVAL_MINUTES: s.ratingSyncIntervalMinutes,
    ATOM_SAAS_WS_RECONNECT_ATTEMPTS: s.wsReconnectAttempts, ATOM_SAAS_WS_HEARTBEAT_INTERVAL: s.wsHeartbeatIntervalSeconds,
    ATOM_SAAS_CONFLICT_STRATEGY: s.conflictStrategy, ATOM_SAAS_API_TIMEOUT_SECONDS: s.apiTimeoutSeconds,
    ATOM_SAAS_SYNC_BATCH_SIZE: s.syncBatchSize, ATOM_SYNC_WORKER: s.syncWorker,
    ATOM_SAAS_WS_FALLBACK_AFTER_FAILURES: s.wsFallbackAfterFailures,
    ATOM_SAAS_WS_FALLBACK_MINUTES: s.wsFallbackMinutes, ATOM_SAAS_WS_PONG_TIMEOUT_SECONDS: s.wsPongTimeoutSeconds,
    ATOM_SAAS_WS_BACKOFF_JITTER: s.wsBackoffJitter, ENABLE_SCHEDULER: config.scheduler.enabled,
    ATOM_DB_PATH: config.db.path, ATOM_HTTP_HOST: config.http.host, ATOM_HTTP_PORT: config.http.port,
    ATOM_ADMIN_TOKEN: config.http.adminToken, ATOM_LOG_LEVEL: config.log.level,
  };
  const value = map[name];
  return value === undefined || value === '' ? undefined : String(value);
}
