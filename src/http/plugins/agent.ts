import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Agent } from '../../runtime/create-agent.ts';
import '../types.ts';

/**
 * The one plugin that owns the agent (STYLE.md rule 7): routes reach it as `app.agent`, and closing
 * the app stops it, after the server stopped taking requests (onClose runs once the listener is
 * closed), so no request sees a half-stopped agent. Stopping is idempotent: a caller that also
 * stops the agent itself does no harm.
 */
export const agentPlugin = fp(
  async (app: FastifyInstance, options: { agent: Agent }) => {
    app.decorate('agent', options.agent);
    app.addHook('onClose', async () => {
      await options.agent.stop();
    });
  },
  { name: 'agent', fastify: '5.x' },
);
