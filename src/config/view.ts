import { maskSecret, redactUrl } from '../logging/redact.ts';
import type { AgentConfig } from './types.ts';

/**
 * The configuration as operators may see it (admin API, `check-config`, logs):
 * tokens masked, URLs without credentials or token query strings.
 */
export function redactedConfig(config: AgentConfig): AgentConfig {
  return {
    ...config,
    saas: {
      ...config.saas,
      apiUrl: redactUrl(config.saas.apiUrl),
      wsUrl: redactUrl(config.saas.wsUrl),
      apiToken: maskSecret(config.saas.apiToken),
    },
    http: { ...config.http, adminToken: config.http.adminToken === undefined ? undefined : maskSecret(config.http.adminToken) },
  };
}

/** The secret values of a configuration, for loggers and scrubbers that mask them in free text. */
export function configSecrets(config: AgentConfig): string[] {
  return [config.saas.apiToken, config.http.adminToken].filter((s): s is string => typeof s === 'string' && s !== '');
}
