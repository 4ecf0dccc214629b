import { describe, expect, it } from 'vitest';
import { ADMIN, useShells } from '../helpers.ts';

const post = (action: string) => ({ method: 'POST' as const, url: `/api/admin/sync/websocket/${action}`, headers: ADMIN });
const status = { method: 'GET' as const, url: '/api/admin/sync/websocket/status', headers: ADMIN };

describe('/api/admin/sync/websocket', () => {
  const shell = useShells();

  it('reports the websocket_state row, the connection state and the mode', async () => {
    const { request } = await shell({ skills: 2 });
    const res = await request(status);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      success: true, mode: 'polling', state: 'disabled', enabled: false, connected: false,
      last_connected_at: null, last_message_at: null, reconnect_attempts: 0, last_message: null, reconnect_count: 0,
    });
  });

  it('enable sends connection.enable (202), then refuses a second one with 409 and what it accepts', async () => {
    const { request } = await shell({ skills: 2 });
    const first = await request(post('enable'));
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ success: true, accepted: true, event: 'connection.enable', state: expect.stringMatching(/^(link|backingOff)/) });
    expect((await request(status)).json().enabled).toBe(true);
    const again = await request(post('enable'));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: 'Conflict',
      message: expect.stringMatching(/^connection cannot take connection.enable in state/),
      accepts: ['connection.disable', 'connection.reconnect'],
    });
  });

  it('disable and reconnect reach the connection actor', async () => {
    const { request, agent } = await shell({ skills: 2 });
    expect((await request(post('reconnect'))).statusCode).toBe(202);
    expect(agent.actors.connection!.getSnapshot().matches('disabled')).toBe(false);
    const disabled = await request(post('disable'));
    expect(disabled.statusCode).toBe(202);
    expect(disabled.json().state).toBe('disabled');
    expect((await request(status)).json()).toMatchObject({ state: 'disabled', enabled: false });
  });

  it('answers 503 to the actions in local-only mode, and the status says so', async () => {
    const { request } = await shell();
    for (const action of ['reconnect', 'disable', 'enable']) {
      const res = await request(post(action));
      expect(res.statusCode, action).toBe(503);
      expect(res.json().message).toContain('sync is disabled');
    }
    expect((await request(status)).json()).toMatchObject({ mode: 'local-only', state: null, enabled: false, connected: false });
  });
});
