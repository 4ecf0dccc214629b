import { loadConfig, formatProblems, type AgentConfig, type LoadOptions } from '../config/index.ts';

/**
 * Loads the configuration for a command. On any problem it prints every one of them to
 * stderr (secrets masked) and returns undefined; the command then exits with status 1
 * before anything starts.
 */
export function loadCliConfig(options: LoadOptions = {}): AgentConfig | undefined {
  const result = loadConfig(options);
  for (const warning of result.warnings) process.stderr.write(`atom-sync: warning: ${warning}\n`);
  if (!result.ok) {
    process.stderr.write(`atom-sync: ${formatProblems(result.problems)}\n`);
    return undefined;
  }
  return result.config;
}
