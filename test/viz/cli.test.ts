import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('atom-sync viz', () => {
  it('prints one chart as Mermaid', () => {
    const result = runCli(['viz', 'connection']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^%% connection: .*\nstateDiagram-v2\n/);
    expect(result.stdout).toContain('root_any --> link : connection.reconnect');
  });

  it('prints one chart as terminal art with --ascii', () => {
    const result = runCli(['viz', 'connection', '--ascii']);
    expect(result.status, result.stderr).toBe(0);
    for (const state of ['disabled', 'connecting', 'open', 'failing', 'backingOff', 'fallback', 'suspended', 'unauthorized']) {
      expect(result.stdout, state).toContain(state);
    }
  });

  it('refuses an unknown machine with the list of known ones', () => {
    const result = runCli(['viz', 'nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("no machine 'nope' (one of: agent, conflictRow, conflicts, connection, ratingSync, syncCycle)");
  });

  it('--check passes on the committed files', () => {
    const result = runCli(['viz', '--check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
