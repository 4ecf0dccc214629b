// One overall deadline per platform request that always fires. On Node 20, the signal of
// `AbortSignal.any([AbortSignal.timeout(ms), other])` holds its sources weakly, and nothing else
// holds the timeout signal: once the garbage collector takes it, the deadline never fires (a
// dripping server held one sync request 180 s against a 10 s timeout). Here the timer itself holds
// the controller, so the signal lives as long as the deadline is pending, and `clear()` ends both.

export interface RequestDeadline {
  readonly signal: AbortSignal;
  /** The request is over (answered, failed or aborted): drop the timer and the link to `parent`. */
  clear(): void;
}

/**
 * A signal that aborts with a `TimeoutError` after `ms`, or with `parent`'s reason when `parent`
 * aborts first. The timer is unref'd like AbortSignal.timeout's: a pending deadline alone does not
 * keep the process alive (the request's socket does, while it is open).
 */
export function startDeadline(ms: number, parent?: AbortSignal): RequestDeadline {
  const controller = new AbortController();
  const onParentAbort = () => {
    clearTimeout(timer);
    controller.abort(parent!.reason);
  };
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`the request took longer than its ${ms} ms deadline`, 'TimeoutError'));
    parent?.removeEventListener('abort', onParentAbort);
  }, ms);
  timer.unref();
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
