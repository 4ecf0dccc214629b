import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { loadMachines } from '../../src/viz/registry.ts';
import { describeDifference, replayTrace } from '../../src/replay/replay-trace.ts';
import type { Trace } from '../../src/replay/trace-format.ts';
import { INSTANCE_TOKEN, PLATFORM_ADMIN } from '../support/platform.ts';
import { useTempDir } from '../support/temp-dir.ts';
import { ADMIN_TOKEN, recordRealRun, USER_IDS, type RealRun } from './real-run.ts';

// The round trip on a real run (real-run.ts): recorded by the runtime, exported through the route,
// replayed against the charts. `ATOM_WRITE_TRACE=<path>` also writes the exported trace there
// (how test/traces/restart-and-throttle.json was made).

const SECRETS = [ADMIN_TOKEN, INSTANCE_TOKEN, PLATFORM_ADMIN, ...USER_IDS];

describe('a real run (platform restart, throttled sync, uploads, seq gap): export and replay', () => {
  const tempDir = useTempDir('atom-trace-');
  let run: RealRun;
  let charts: Map<string, import('xstate').AnyStateMachine>;

  beforeAll(async () => {
    run = await recordRealRun(tempDir());
    charts = new Map((await loadMachines()).map((m) => [m.id, m] as const));
    if (process.env.ATOM_WRITE_TRACE) writeFileSync(process.env.ATOM_WRITE_TRACE, `${JSON.stringify(run.trace, null, 1)}\n`);
  }, 60_000);
  afterAll(() => run?.close());

  const types = (trace: Trace, actor: string) => trace.steps.filter((s) => s.actor === actor).map((s) => s.event.type);

  it('records what happened with its payloads: the throttling, the restart, the upload results and why each catch-up ran', () => {
    const { trace } = run;
    expect(Object.keys(trace.actors).sort()).toEqual(['agent', 'conflicts', 'connection', 'ratingSync', 'syncCycle']);
    expect(trace.steps.find((s) => s.event.type === 'sync.throttled' && s.event.resumeAt !== null)).toBeDefined();
    expect(types(trace, 'connection')).toEqual(expect.arrayContaining(['socket.opened', 'socket.closed', 'xstate.error.actor.checkPlatform', 'xstate.after.untilNextAttempt.connection.backingOff']));
    const causes = trace.steps.filter((s) => s.event.type === 'sync.catchUp').map((s) => s.event.cause);
    expect(causes.filter((c) => c === 'socket.opened')).toHaveLength(2);
    expect(causes).toContain('seq.gap');
    const uploads = trace.steps.filter((s) => s.event.type === 'xstate.done.actor.uploadRatings').map((s) => s.event.output);
    expect(uploads).toEqual([{ uploaded: 2, failed: 0, deadLettered: 0 }, { uploaded: 0, failed: 1, deadLettered: 0 }]);
    expect(trace.steps.find((s) => s.event.type === 'socket.closed')?.context).toMatchObject({ lastDisconnectReason: expect.any(String) });
  });

  it('no token and no user id reaches any journal row or the exported trace', () => {
    const rows = run.agent.store.db.prepare('SELECT * FROM transition_journal').all();
    expect(rows.length).toBeGreaterThan(20);
    const journal = JSON.stringify(rows);
    // The probe can fail: the agent's own rating outbox holds the user ids in clear.
    const outbox = JSON.stringify(run.agent.store.db.prepare('SELECT * FROM skill_rating').all());
    expect(USER_IDS.every((id) => outbox.includes(id))).toBe(true);
    for (const secret of SECRETS) {
      expect(journal.includes(secret), `journal holds ${secret}`).toBe(false);
      expect(run.body.includes(secret), `trace holds ${secret}`).toBe(false);
    }
  });

  it('replays against the charts with no step differing', () => {
    const report = replayTrace(run.trace, charts);
    expect(report.difference && describeDifference(report.difference)).toBeUndefined();
    expect(report.skipped).toEqual([]);
    expect(report.compared).toBe(run.trace.steps.length);
  });

  it('reports the exact step of an edited copy: a socket the field saw close, rejected instead', () => {
    const edited = structuredClone(run.trace);
    const index = edited.steps.findIndex((s) => s.event.type === 'socket.closed');
    edited.steps[index]!.event = { type: 'socket.authRejected', reason: 'token revoked' };
    const report = replayTrace(edited, charts);
    expect(report.difference && describeDifference(report.difference)).toBe(`step ${index + 1} (connection, socket.authRejected): expected checking, chart gives unauthorized`);
    expect(report.compared).toBe(index);
  });
});
