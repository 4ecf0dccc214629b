import type { InspectionEvent } from 'xstate';
import { hashUserId } from '../../../../src/runtime/rating-upload.ts';
import { platformCatalog } from '../../../support/platform.ts';
import { advanceTo } from '../drivers/world.ts';
import type { AgentModel, RealAgent } from './model.ts';

// The end of every fc.commands run: the faults stop, an operator reconnects and resyncs, and the
// agent must converge to the platform: same catalog (ids and versions), every rating upstream once.

/** Polls `check`; between polls `nudge` may move the simulated clock or send an event. */
async function until(what: string, check: () => boolean, nudge: () => void = () => {}, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`did not converge: ${what} within ${timeoutMs} ms`);
    nudge();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Where the agent's cache and the platform's catalog differ (ids and versions). */
function catalogDiff(world: RealAgent['world'], agent: RealAgent['world']['agent']): { text: string }[] {
  const expected = new Map([...platformCatalog(world.platform)].map(([id, s]) => [id, s.version]));
  const cached = new Map((agent.store.db.prepare('SELECT skill_id, version FROM skill_cache').all() as { skill_id: string; version: string }[]).map((r) => [r.skill_id, r.version]));
  return [
    ...[...expected].filter(([id, v]) => cached.get(id) !== v).map(([id, v]) => ({ text: `${id}: platform ${v}, agent ${cached.get(id) ?? 'missing'}` })),
    ...[...cached.keys()].filter((id) => !expected.has(id)).map((id) => ({ text: `${id}: in the agent only` })),
  ];
}

export async function converge(model: AgentModel, real: RealAgent): Promise<void> {
  const { world } = real;
  const agent = world.agent;
  const connection = agent.actors.connection!;
  const syncCycle = agent.actors.syncCycle!;
  const ratingSync = agent.actors.ratingSync!;

  // A 429 with Retry-After left the request budget blocked: requests wait for it on the simulated clock.
  const unblock = () => {
    const blockedUntil = agent.budget?.status().blockedUntil;
    if (blockedUntil) advanceTo(world.clock, blockedUntil);
  };

  world.httpFault = { kind: 'pass' };
  await world.httpProxy!.setMode({ kind: 'pass' });
  await world.wsProxy!.setMode({ kind: 'pass' });

  connection.send({ type: 'connection.reconnect' });
  await until('the socket to open', () => agent.mode() === 'realtime', () => {
    const { value, context } = connection.getSnapshot();
    if (value === 'backingOff') advanceTo(world.clock, context.nextAttemptAt);
    unblock();
  });

  // A full sync after the faults stopped, to success.
  const fullSync = async () => {
    let fullSyncs = 0;
    const watch = syncCycle.system.inspect((event: InspectionEvent) => {
      if (event.type === '@xstate.snapshot' && event.actorRef === syncCycle && event.event.type === 'xstate.done.actor.runSync' && (event.event as { output?: { kind?: string } }).output?.kind === 'full') fullSyncs += 1;
    });
    syncCycle.send({ type: 'sync.trigger' });
    await until('a full sync to succeed and the cycle to rest', () => fullSyncs > 0 && syncCycle.getSnapshot().matches('idle'), () => {
      const { value } = syncCycle.getSnapshot();
      if (value === 'retrying' || value === 'failed' || value === 'unauthorized') syncCycle.send({ type: 'sync.trigger' });
      unblock();
    });
    watch.unsubscribe();
  };
  await fullSync();

  // Every rating uploaded: replays failed uploads (and dead letters) until none is left waiting.
  const waiting = () => (agent.store.db.prepare("SELECT count(*) AS n FROM skill_rating WHERE sync_status IN ('pending', 'failed')").get() as { n: number }).n;
  ratingSync.send({ type: 'ratings.retry' });
  await until('the rating outbox to drain', () => waiting() === 0 && ratingSync.getSnapshot().matches('idle'), () => {
    const { value, context } = ratingSync.getSnapshot();
    if (value === 'rateLimited') advanceTo(world.clock, context.resumeAt);
    else if (value === 'idle' || value === 'unauthorized') ratingSync.send({ type: 'ratings.retry' });
    unblock();
  });

  const diff = catalogDiff(world, agent);
  if (diff.length > 0) throw new Error(`the cache differs from the platform catalog: ${diff.map((d) => d.text).join('; ')}`);

  // Ratings: what the outbox says it sent is upstream exactly once; what the users gave last is what the outbox holds.
  const deviceId = agent.store.syncState.get().deviceId;
  const outbox = agent.store.db.prepare('SELECT skill_id, user_id, rating, sync_status, remote_rating_id FROM skill_rating').all() as
    { skill_id: string; user_id: string; rating: number; sync_status: string; remote_rating_id: string | null }[];
  const hashed = new Map(real.users.map((u) => [hashUserId(deviceId, u), u]));
  const upstream = (world.platform.app.platform.store.db.prepare(
    `SELECT s.skill_id, r.user_id, r.rating, r.rating_id FROM ratings r JOIN skills s ON s.id = r.skill_ref WHERE r.user_id IN (${[...hashed.keys()].map(() => '?').join(',')})`,
  ).all(...hashed.keys()) as { skill_id: string; user_id: string; rating: number; rating_id: string }[]).map((r) => ({ ...r, user: hashed.get(r.user_id)! }));

  const problems: string[] = [];
  const key = (skillId: string, userId: string) => `${skillId} ${userId}`;
  const byKey = new Map(outbox.map((r) => [key(r.skill_id, r.user_id), r]));
  for (const [k, given] of model.ratings) {
    const row = byKey.get(k);
    if (!row || row.rating !== given.rating) problems.push(`${k}: rated ${given.rating}, outbox holds ${row ? row.rating : 'nothing'}`);
  }
  for (const row of outbox) {
    const gone = model.deleted.has(row.skill_id);
    const copies = upstream.filter((u) => u.skill_id === row.skill_id && u.user === row.user_id);
    if (row.sync_status === 'synced' && !gone && (copies.length !== 1 || copies[0]!.rating !== row.rating || copies[0]!.rating_id !== row.remote_rating_id)) {
      problems.push(`${key(row.skill_id, row.user_id)}: synced as ${row.remote_rating_id} (${row.rating}), platform has ${JSON.stringify(copies)}`);
    }
    if (row.sync_status === 'dead' && !gone) problems.push(`${key(row.skill_id, row.user_id)}: dead letter although the skill exists`);
    if (gone && copies.length > 0) problems.push(`${key(row.skill_id, row.user_id)}: rating of a deleted skill upstream`);
  }
  if (upstream.length !== outbox.filter((r) => r.sync_status === 'synced' && !model.deleted.has(r.skill_id)).length) {
    problems.push(`platform holds ${upstream.length} ratings of this run's users, the outbox synced ${outbox.filter((r) => r.sync_status === 'synced').length}`);
  }
  if (problems.length > 0) throw new Error(`ratings lost or duplicated: ${problems.join('; ')}`);
}
