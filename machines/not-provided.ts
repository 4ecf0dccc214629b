// Charts declare their effects and their time-dependent pieces by name only; src/runtime provides
// them with machine.provide(). A chart run without them fails loudly instead of doing I/O itself.

export function notProvided(name: string): never {
  throw new Error(`${name} is not provided: create the actor through src/runtime (machine.provide)`);
}
