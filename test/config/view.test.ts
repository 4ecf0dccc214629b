import { describe, expect, it } from 'vitest';
import { configSecrets, redactedConfig } from '../../src/config/index.ts';
import { expectOk, loadEnv } from './helpers.ts';

const TOKEN = 'view-token-5e4d3c2b1a';
const ADMIN = 'view-admin-token-0987654321';

describe('redactedConfig', () => {
  it('masks both tokens and URL credentials, keeps everything else, and leaves the config untouched', () => {
    const { config } = expectOk(loadEnv({ ATOM_SAAS_API_URL: 'https://op:url-pw-123@api.example.test/base', ATOM_SAAS_API_TOKEN: TOKEN, ATOM_ADMIN_TOKEN: ADMIN }));
    const view = redactedConfig(config);
    expect(view.saas.apiToken).toBe('***');
    expect(view.http.adminToken).toBe('***');
    expect(view.saas.apiUrl).toBe('https://op:***@api.example.test/base');
    expect(view.saas.wsUrl).toBe('wss://op:***@api.example.test/base/ws');
    expect(view.saas.syncIntervalMinutes).toBe(config.saas.syncIntervalMinutes);
    expect(JSON.stringify(view)).not.toMatch(/view-token|view-admin|url-pw-123/);
    expect(config.saas.apiToken).toBe(TOKEN);
  });

  it('says (unset) for a missing API token and keeps a missing admin token undefined', () => {
    const { config } = expectOk(loadEnv({ ATOM_SAAS_ENABLED: 'false' }, {}));
    const view = redactedConfig(config);
    expect(view.saas.apiToken).toBe('(unset)');
    expect(view.http.adminToken).toBeUndefined();
  });
});

describe('configSecrets', () => {
  it('lists the token values that are set', () => {
    expect(configSecrets(expectOk(loadEnv({ ATOM_SAAS_API_TOKEN: TOKEN, ATOM_ADMIN_TOKEN: ADMIN })).config)).toEqual([TOKEN, ADMIN]);
    expect(configSecrets(expectOk(loadEnv({ ATOM_SAAS_ENABLED: 'false' }, {})).config)).toEqual([]);
  });
});
