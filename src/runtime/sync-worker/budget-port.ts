import type { MessagePort, Worker } from 'node:worker_threads';
import type { BudgetObservation, Lane } from '../../policy/request-budget.ts';
import type { BudgetGate, Permit } from '../../marketplace/http/request-budget.ts';

// The sync worker's platform client draws from the agent's one request budget: each request asks
// the main thread for a permit and settles it with what the platform answered. Two clients with
// budgets of their own would each spend the instance's 100 requests a minute, and a rating flush
// on the main thread would find the window spent by the worker.

export type BudgetRequest =
  | { type: 'acquire'; request: number; lane: Lane }
  | { type: 'settle'; request: number; observation: BudgetObservation | null };
export type BudgetGrant = { type: 'permit'; request: number };

/** The worker's side: a BudgetGate whose permits come over the port. */
export function budgetOverPort(port: MessagePort): BudgetGate {
  const waiting = new Map<number, { lane: Lane; resolve(permit: Permit): void }>();
  let next = 1;
  port.on('message', (message: { type: string; request?: number }) => {
    if (message.type !== 'permit' || message.request === undefined) return;
    const waiter = waiting.get(message.request);
    waiting.delete(message.request);
    waiter?.resolve({ id: message.request, lane: waiter.lane });
  });
  return {
    acquire: (lane) =>
      new Promise<Permit>((resolve) => {
        const request = next++;
        waiting.set(request, { lane, resolve });
        port.postMessage({ type: 'acquire', request, lane } satisfies BudgetRequest);
      }),
    settle: (permit, observation) => port.postMessage({ type: 'settle', request: permit.id, observation } satisfies BudgetRequest),
  };
}

/**
 * The agent's side: answers a worker's permit requests from `budget`. When the worker goes away,
 * its permits are settled as unanswered so the budget does not count them in flight forever.
 */
export function serveBudget(worker: Worker, budget: BudgetGate): { onMessage(message: unknown): boolean } {
  const held = new Map<number, Permit>();
  let gone = false;
  worker.once('exit', () => {
    gone = true;
    for (const permit of held.values()) budget.settle(permit, null);
    held.clear();
  });
  return {
    onMessage(message) {
      const m = message as BudgetRequest;
      if (m.type === 'acquire') {
        budget.acquire(m.lane).then(
          (permit) => {
            if (gone) return budget.settle(permit, null);
            held.set(m.request, permit);
            worker.postMessage({ type: 'permit', request: m.request } satisfies BudgetGrant);
          },
          () => {},
        );
        return true;
      }
      if (m.type === 'settle') {
        const permit = held.get(m.request);
        held.delete(m.request);
        if (permit) budget.settle(permit, m.observation);
        return true;
      }
      return false;
    },
  };
}
