// The log levels the logger takes (pino's), apart from the logger so the configuration table can
// list them without loading pino.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
