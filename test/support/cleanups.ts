import { afterEach } from 'vitest';

type Cleanup = () => Promise<unknown> | unknown;

/** Things to close after each test, closed last-in first-out (agent before store before platform). */
export function useCleanups(): { push(cleanup: Cleanup): void } {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return { push: (cleanup) => void cleanups.push(cleanup) };
}
