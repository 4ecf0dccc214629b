import type { Agent } from '../runtime/create-agent.ts';

export type { TypedApp } from '../fastify-typebox/typed-app.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The running agent, decorated by plugins/agent.ts (the one plugin that owns it). */
    agent: Agent;
  }
}
