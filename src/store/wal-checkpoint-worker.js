// The worker side of wal-checkpointer.ts, in plain JavaScript because worker threads do not
// inherit the tsx loader. It owns its own connection to the agent database and copies the WAL back
// into the database file now and then, so that work (and its fsync) never runs inside a commit on
// the agent's event loop. PASSIVE checkpoints never wait for readers or writers: whatever cannot
// be copied now is copied next time.
import { parentPort, workerData } from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import Database from 'better-sqlite3';

// Background work: this thread only (Linux names it in /proc/thread-self) yields the CPU to the
// agent's event loop (see src/runtime/sync-worker/thread-priority.ts, which this plain-JS worker cannot import).
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
} catch {
  // another OS, or not permitted: keep the priority
}

const db = new Database(workerData.path, { fileMustExist: true });

function checkpoint() {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  // Only report work done: an idle agent's checkpoints cost the main thread nothing.
  if (result.checkpointed > 0) parentPort.postMessage({ type: 'checkpointed', frames: result.checkpointed, log: result.log });
}

const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
