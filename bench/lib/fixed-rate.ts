// An open-loop load generator: requests start on a fixed schedule whether or not earlier ones
// have finished, and latency counts from the *scheduled* start. A closed loop (send, wait, send)
// hides queueing: a slow response delays the next request instead of showing up in the tail
// (coordinated omission).

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FixedRateOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Requests allowed in flight; a start that would exceed it is skipped and counted as dropped. */
  maxInFlight: number;
  /** One request; `i` is its index in the schedule. Rejections are counted as errors. */
  task: (i: number) => Promise<void>;
}

export interface FixedRateResult {
  /** Completion minus scheduled start (or the real start, when earlier), in ms, for each request that succeeded. */
  latenciesMs: number[];
  errors: number;
  dropped: number;
  elapsedMs: number;
}

export async function runAtFixedRate(options: FixedRateOptions): Promise<FixedRateResult> {
  const interval = 1000 / options.ratePerSecond;
  const total = Math.floor((options.durationMs / 1000) * options.ratePerSecond);
  const latenciesMs: number[] = [];
  let errors = 0;
  let dropped = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const scheduled = t0 + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    if (inFlight >= options.maxInFlight) {
      dropped++;
      continue;
    }
    inFlight++;
    // Timers are too coarse to wait out less than a millisecond, so a request may start up to 1 ms
    // early: count from the later of its scheduled and its real start (never a latency below the RTT).
    const from = Math.max(scheduled, performance.now());
    const p = options.task(i).then(
      () => {
        latenciesMs.push(performance.now() - from);
      },
      () => {
        errors++;
      },
    ).finally(() => {
      inFlight--;
      pending.delete(p);
    });
    pending.add(p);
  }
  await Promise.all(pending);
  return { latenciesMs, errors, dropped, elapsedMs: performance.now() - t0 };
}
