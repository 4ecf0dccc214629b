import type { StateValue } from 'xstate';
import { kindOf } from '../../../src/replay/chart-events.ts';

// How states and events read in path names: `link.connecting --xstate.after.connectTimeout--> failing`.

/** `link.connecting` for { link: 'connecting' }; parallel regions joined with `+`. */
export function stateLabel(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined || (typeof child === 'object' && Object.keys(child).length === 0) ? key : `${key}.${stateLabel(child as StateValue)}`))
    .join('+');
}

/** The event type, shortened for timers, with the payload variant when a type has several. */
export function eventLabel(type: string, variant: string): string {
  // `xstate.after.<delay>.<state id>`: the state is already in the name, before the arrow.
  const shown = kindOf(type) === 'timer' ? type.split('.').slice(0, 3).join('.') : type;
  return variant ? `${shown}(${variant})` : shown;
}
