import { join } from 'node:path';
import { loadConfigOrThrow, type AgentConfig } from '../../src/config/index.ts';

/** A validated configuration built from variables exactly as an operator would set them. */
export function agentConfig(dir: string, env: Record<string, string>): AgentConfig {
  return loadConfigOrThrow({ env: { ATOM_DB_PATH: join(dir, 'agent.db'), ATOM_LOG_LEVEL: 'silent', ...env }, envFile: false });
}
