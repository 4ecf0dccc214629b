import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of the sync worker's thread: background work, behind the agent's event loop. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the CPU priority of the calling thread only (Linux: setpriority on the thread id, which
 * /proc/thread-self names). On a busy host the kernel then runs the agent's event loop first when
 * a request arrives, instead of sharing a core evenly with a sync that wants all of it. Anywhere
 * this is not possible (another OS, a sandbox refusing it) the thread keeps its priority: returns false.
 */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
