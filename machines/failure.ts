// How the charts see a failed effect: a value with a kind (STYLE.md rule 12), matched by guards.

export type FailureKind = 'auth' | 'rateLimited' | 'transient' | 'invalid';

export interface Failure {
  kind: FailureKind;
  message: string;
  status: number | null;
  /** rateLimited only: how long the platform asked us to wait. */
  retryAfterMs?: number;
}

/** The failure an invoked actor rejected with; anything without a kind counts as transient. */
export function failureOf(error: unknown): Failure {
  return typeof error === 'object' && error !== null && 'kind' in error
    ? (error as Failure)
    : { kind: 'transient', message: String((error as Error)?.message ?? error), status: null };
}
