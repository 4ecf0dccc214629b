import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN_TOKEN, DEV_TOKEN, cleanupTempDirs, publishSkill, startHarness, tempDbPath, type Harness } from './helpers.ts';
import type { PushMessage } from '../../src/platform/push/types.ts';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.stop();
});
afterAll(cleanupTempDirs);

/** A real WebSocket client on the platform's /ws, collecting every change message. */
async function listen(h: Harness): Promise<{ messages: PushMessage[]; until(n: number): Promise<void>; close(): void }> {
  const ws = new WebSocket(`${h.platform.wsUrl}?token=${DEV_TOKEN}`);
  const messages: PushMessage[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as PushMessage;
    if (msg.type !== ('ping' as never)) messages.push(msg);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    messages,
    async until(n) {
      for (let i = 0; i < 100 && messages.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    },
    close: () => ws.close(),
  };
}

describe('push seq', () => {
  it('is strictly increasing across every kind of change, matches high_water_seq, and skips nothing', async () => {
    const h = await startHarness({ push: true });
    open.push(h);
    const client = await listen(h);
    const skill = await publishSkill(h); // category_update, skill_update, category_update
    await h.call('POST', '/api/v1/ratings', { body: { skill_id: skill.skill_id, rating: 4, user_id: 'u' } });
    await h.call('PUT', `/api/v1/skills/${skill.skill_id}`, { token: ADMIN_TOKEN, body: { name: 'Renamed' } });
    await h.call('DELETE', `/api/v1/skills/${skill.skill_id}`, { token: ADMIN_TOKEN });
    await client.until(7);
    client.close();
    const seqs = client.messages.map((m) => m.seq);
    expect(client.messages.map((m) => m.type)).toEqual([
      'category_update', 'skill_update', 'category_update', 'rating_update', 'skill_update', 'skill_delete', 'category_update',
    ]);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const m of client.messages) expect(Date.parse(m.timestamp)).toBeGreaterThan(0);
    expect((await h.call('GET', '/api/v1/skills')).json.high_water_seq).toBe(7);
  });

  it('does not consume a seq for a change that was refused', async () => {
    const h = await startHarness();
    open.push(h);
    const skill = await publishSkill(h);
    const before = h.pushed.at(-1)?.seq as number;
    expect((await h.call('POST', '/api/v1/skills', { token: ADMIN_TOKEN, body: { name: 'x', category: 'automation', skill_id: skill.skill_id } })).status).toBe(409);
    expect((await h.call('POST', '/api/v1/ratings', { body: { skill_id: '00000000-0000-4000-8000-000000000000', rating: 4, user_id: 'u' } })).status).toBe(404);
    await h.call('POST', '/api/v1/ratings', { body: { skill_id: skill.skill_id, rating: 4, user_id: 'u' } });
    expect(h.pushed.at(-1)?.seq).toBe(before + 1);
  });

  it('survives a restart on the same database file: the next change continues above the last seq', async () => {
    const dbPath = tempDbPath();
    const first = await startHarness({ db: dbPath });
    const skill = await publishSkill(first);
    await first.call('POST', '/api/v1/ratings', { body: { skill_id: skill.skill_id, rating: 4, user_id: 'u' } });
    const lastBefore = first.pushed.at(-1)?.seq as number;
    expect(lastBefore).toBe(4);
    await first.stop();

    const second = await startHarness({ db: dbPath, push: true });
    open.push(second);
    expect((await second.call('GET', '/api/v1/skills')).json.high_water_seq).toBe(lastBefore);
    const client = await listen(second);
    await second.call('POST', '/api/v1/ratings', { body: { skill_id: skill.skill_id, rating: 2, user_id: 'v' } });
    await client.until(1);
    client.close();
    expect(client.messages.map((m) => m.seq)).toEqual([lastBefore + 1]);
    // The data survived too.
    const after = await second.call('GET', `/api/v1/skills/${skill.skill_id}`);
    expect(after.json).toMatchObject({ rating_count: 2, average_rating: 3 });
  });
});
