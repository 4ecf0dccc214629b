import type { FailureKind } from '../../../machines/failure.ts';
import type { FailedOutcome } from '../../policy/outcome.ts';

/**
 * A failed platform request as a value with a kind (STYLE.md rule 12). It is also an Error so it
 * can reject a promise; the charts' guards read `kind`, `status` and `retryAfterMs`.
 */
export class PlatformError extends Error {
  readonly kind: FailureKind;
  readonly status: number | null;
  readonly retryAfterMs: number | undefined;

  constructor(failure: FailedOutcome) {
    super(failure.message);
    this.name = 'PlatformError';
    this.kind = failure.kind;
    this.status = failure.status;
    this.retryAfterMs = failure.kind === 'rateLimited' ? failure.retryAfterMs : undefined;
  }

  /** Plain data for snapshots, logs and the admin API (Errors do not serialise). */
  toJSON(): { kind: FailureKind; status: number | null; message: string; retryAfterMs?: number } {
    return { kind: this.kind, status: this.status, message: this.message, retryAfterMs: this.retryAfterMs };
  }
}
