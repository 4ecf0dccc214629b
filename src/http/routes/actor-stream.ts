import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { adminErrors } from '../schemas/common.ts';
import { transitionDto } from '../actors/inspect.ts';
import type { TransitionRecord } from '../../runtime/actor-host.ts';

/** Proxies drop idle connections after 30-60 s; a comment line every 15 s keeps the stream up. */
export const SSE_HEARTBEAT_MS = 15_000;

/** Documents the stream (the handler hijacks the reply, so nothing is serialized through it). */
const StreamResponse = {
  description: 'Server-Sent Events: `event: transition` with `data: {at, actor, event, from, to, payload, context}` per journaled transition (payload: the event with its sanitised payload; context: the sanitised context of the actor after it); `: heartbeat` comments',
  content: { 'text/event-stream': { schema: Type.String() } },
};

/**
 * GET /actors/stream (under /api/admin): Server-Sent Events, one `transition` event per journaled
 * transition of any actor. The auth hook has run by the time the handler hijacks the reply. Each
 * stream unsubscribes when its client goes away, and the app ends every open stream before the
 * server closes (an open stream would otherwise hold `close()` forever).
 */
export function registerActorStream(app: TypedApp, options: { heartbeatMs?: number } = {}): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });

  app.get('/actors/stream', { schema: { response: { 200: StreamResponse, ...adminErrors() } } }, (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx would buffer the stream otherwise
    });
    // The DTO is the allow-list of what leaves, as a response schema would be for a JSON route.
    const onTransition = (record: TransitionRecord) => {
      raw.write(`event: transition\ndata: ${JSON.stringify(transitionDto(record))}\n\n`);
    };
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), options.heartbeatMs ?? SSE_HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      app.agent.transitions.off('transition', onTransition);
      open.delete(raw);
    };
    open.add(raw);
    app.agent.transitions.on('transition', onTransition);
    raw.on('close', stop);
    // The first bytes tell the client the subscription is in place (tests wait for them).
    raw.write(': connected\n\n');
  });
}
