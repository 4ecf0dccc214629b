export { registerPushHub, type PushHub, type PushHubStats, type PushHubOptions } from './hub.ts';
export { PUSH_HUB_DEFAULTS } from './options.ts';
export type { PingMessage } from './heartbeat.ts';
export type { PushMessage, PushType, Authenticate } from './types.ts';
export { PUSH_TYPES } from './types.ts';
