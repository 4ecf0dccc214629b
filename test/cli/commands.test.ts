import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';

describe('the command table', () => {
  it('lists the same summary as each command module says of itself', async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = await entry.load();
      expect(command.summary, name).toBe(entry.summary);
      expect(command.usage, name).toMatch(new RegExp(`usage: atom-sync ${name}`));
    }
  });
});
