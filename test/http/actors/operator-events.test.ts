import { describe, expect, it } from 'vitest';
import { OPERATOR_EVENTS, operatorEventFields } from '../../../src/http/actors/operator-events.ts';

describe('the payload fields of operator events, derived from their schemas', () => {
  it('describe conflict.resolve and conflict.resolveAll as a form needs them', () => {
    const strategies = ['remote_wins', 'local_wins', 'merge'];
    expect(operatorEventFields('conflicts', 'conflict.resolve')).toEqual([
      { name: 'id', kind: 'integer', required: true },
      { name: 'strategy', kind: 'choice', choices: strategies, required: true },
    ]);
    expect(operatorEventFields('conflicts', 'conflict.resolveAll')).toEqual([
      { name: 'strategy', kind: 'choice', choices: strategies, required: true },
      { name: 'conflictType', kind: 'choice', choices: ['content', 'version', 'delete'], required: false },
      { name: 'skillId', kind: 'string', required: false },
    ]);
  });

  it('are empty for bare events and for events that are not operator events', () => {
    expect(operatorEventFields('connection', 'connection.reconnect')).toEqual([]);
    expect(operatorEventFields('connection', 'socket.opened')).toEqual([]);
    expect(operatorEventFields('nope', 'conflict.resolve')).toEqual([]);
  });

  it('can be derived for every operator event of every machine (a new field kind fails here)', () => {
    for (const [machine, events] of Object.entries(OPERATOR_EVENTS)) {
      for (const type of Object.keys(events)) expect(() => operatorEventFields(machine, type), `${machine} ${type}`).not.toThrow();
    }
  });
});
