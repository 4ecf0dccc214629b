import type { FastifyReply } from 'fastify';
import type { AnyActorRef } from 'xstate';
import { Type } from 'typebox';
import { sendError } from '../../contract/error-envelope.ts';
import { tryOperatorEvent } from './operator-events.ts';

/** 202 of the /sync/* routes that send an operator event: spec 004 answers carry `success`. */
export const SyncAccepted = Type.Object({ success: Type.Literal(true), accepted: Type.Literal(true), event: Type.String(), state: Type.String() });

export const LOCAL_ONLY = 'sync is disabled: the agent runs in local-only mode (ATOM_SAAS_ENABLED=false)';

/**
 * Sends an operator event to a sync actor with sendOperatorEvent's semantics (409 with the events
 * it takes now when it refuses), or 503 when the actor does not exist because sync is off.
 */
export function sendSyncEvent(actor: AnyActorRef | undefined, type: string, reply: FastifyReply): FastifyReply {
  if (!actor) return sendError(reply, 503, LOCAL_ONLY);
  const outcome = tryOperatorEvent(actor, { type });
  if ('status' in outcome) return sendError(reply, outcome.status, outcome.message, outcome.extra);
  return reply.code(202).send({ success: true, accepted: true, event: type, state: outcome.state });
}
