import type { AnyActorRef, AnyStateMachine } from 'xstate';

/**
 * The state machine a hosted actor runs, through the public `src` of its reference: for an actor
 * made by createActor (actor-host.ts does, for every chart) `src` is the logic it was created from.
 * The admin API and the metrics read states and events from it, derived rather than kept by hand.
 */
export function machineOf(actor: AnyActorRef): AnyStateMachine {
  const { src } = actor;
  if (typeof src === 'string' || !isStateMachine(src)) throw new TypeError(`actor ${actor.id} does not run a state machine`);
  return src;
}

function isStateMachine(logic: object): logic is AnyStateMachine {
  return 'root' in logic && 'provide' in logic;
}
