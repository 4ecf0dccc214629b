import type { Logger } from '../logging/logger.ts';

// Process-level safety nets of the long-running commands (agent, demo, platform, sync).

/** How long a graceful stop may take before the process gives up on it and exits 1. */
export const STOP_DEADLINE_MS = 15_000;

/**
 * An error nothing caught (a throw in a timer, a rejected promise nobody awaited) is logged as one
 * fatal line through the process logger, so it is JSON and redacted like every other line, never a
 * bare stack with a token in it, and the process exits 1 (a supervisor restarts it; the state is in
 * SQLite). Returns a function that removes the handlers.
 */
export function installCrashHandlers(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onError = (kind: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    const err = error instanceof Error ? error : new Error(`non-error thrown: ${String(error)}`);
    logger.fatal({ err, kind }, `${kind}: exiting`);
    exit(1);
  };
  const onException = onError('uncaughtException');
  const onRejection = onError('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

/**
 * Runs a graceful stop with a deadline: resolves true when it finished in time, false (after logging
 * why) when it did not. A stop that hangs (a socket that never closes, a worker that never ends) must
 * not keep a stopping process alive forever.
 */
export async function stopWithin(label: string, stop: () => Promise<void>, logger: Logger, deadlineMs = STOP_DEADLINE_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), deadlineMs);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([stop().then(() => 'stopped' as const), expired]);
    if (outcome === 'expired') logger.error({ deadlineMs }, `${label} did not stop within ${deadlineMs} ms: exiting anyway`);
    return outcome === 'stopped';
  } catch (err) {
    logger.error({ err }, `${label} failed to stop`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
