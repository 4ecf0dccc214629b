import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { syncCycleMachine } from '../../../machines/syncCycle.ts';
import { isInternalEvent } from '../../../src/http/actors/inspect.ts';
import { sanitizeContext } from '../../../src/runtime/sanitize.ts';

describe('sanitizeContext', () => {
  it('drops functions and actor references, masks secret keys and scrubs known secrets from strings', () => {
    const child = createActor(syncCycleMachine, { input: { intervalMs: 1000, schedulerEnabled: false } });
    const context = {
      attempt: 2,
      onDone: () => undefined,
      child,
      apiToken: 'abcdefghijklmnop',
      lastError: { kind: 'auth', message: 'GET https://h/api?token=abcdefghijklmnop failed with sekret-value-123' },
      list: [1, () => 2],
    };
    expect(sanitizeContext(context, ['sekret-value-123'])).toEqual({
      attempt: 2,
      apiToken: '***',
      lastError: { kind: 'auth', message: 'GET https://h/api?token=*** failed with ***' },
      list: [1, null],
    });
  });
});

describe('isInternalEvent', () => {
  it('keeps runtime events away from operators', () => {
    for (const type of ['xstate.init', 'socket.opened', 'link.stale', 'timers.rearm', 'agent.stop']) expect(isInternalEvent(type)).toBe(true);
    for (const type of ['sync.trigger', 'connection.reconnect', 'conflict.resolve']) expect(isInternalEvent(type)).toBe(false);
  });
});
