// Schema of GET /ws: documents the token and the refusals, which happen before the upgrade.

const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' } },
  required: ['error'],
} as const;

export const pushRouteSchema = {
  summary: 'WebSocket push of marketplace changes (spec 000)',
  querystring: {
    type: 'object',
    properties: { token: { type: 'string', minLength: 1, maxLength: 4096 } },
    required: ['token'],
  },
  response: {
    401: errorBody,
    426: errorBody,
    429: {
      type: 'object',
      properties: { error: { type: 'string' }, retry_after: { type: 'integer' } },
      required: ['error', 'retry_after'],
    },
    503: errorBody,
  },
} as const;
