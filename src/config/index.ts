export { loadConfig, loadConfigOrThrow, formatProblems, ConfigError, type LoadOptions, type LoadResult } from './load.ts';
export { redactedConfig, configSecrets } from './view.ts';
export type { AgentConfig, SaasConfig, ConfigProblem, ValueSource } from './types.ts';
export { VARIABLES } from './variables.ts';
