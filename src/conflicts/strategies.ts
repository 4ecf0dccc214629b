import type { RemoteSkill } from '../contract/wire-types.ts';
import type { ConflictType } from './detect.ts';
import { mergeSkill } from './merge.ts';

/** How a conflict between a local edit and a remote change is settled (ATOM_SAAS_CONFLICT_STRATEGY). */
export const CONFLICT_STRATEGIES = ['remote_wins', 'local_wins', 'merge', 'manual'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

export interface ConflictSides {
  type: ConflictType;
  base: RemoteSkill | null;
  local: RemoteSkill;
  /** null for a remote delete. */
  remote: RemoteSkill | null;
}

/**
 * What resolving does to the cache:
 * - `acceptRemote`: the remote version replaces the local edit;
 * - `keepLocal`: the local edit stays (now based on the remote version, so the next remote change is
 *   compared with it); for a remote delete the skill stays as a local skill;
 * - `applyMerged`: the merged skill becomes the local edit;
 * - `delete`: the skill leaves the cache;
 * - `queue`: nothing changes until an operator decides.
 */
export type Resolution =
  | { action: 'acceptRemote'; result: RemoteSkill }
  | { action: 'keepLocal'; result: RemoteSkill }
  | { action: 'applyMerged'; result: RemoteSkill }
  | { action: 'delete'; result: null }
  | { action: 'queue'; result: null };

/** The four strategies of ATOM_SAAS_CONFLICT_STRATEGY as one pure function. */
export function resolveConflict(strategy: ConflictStrategy, sides: ConflictSides): Resolution {
  switch (strategy) {
    case 'manual':
      return { action: 'queue', result: null };
    case 'remote_wins':
      return sides.remote === null ? { action: 'delete', result: null } : { action: 'acceptRemote', result: sides.remote };
    case 'local_wins':
      return { action: 'keepLocal', result: sides.local };
    case 'merge':
      // Nothing to merge with a deletion: local work is never dropped silently, so the local copy stays.
      return sides.remote === null
        ? { action: 'keepLocal', result: sides.local }
        : { action: 'applyMerged', result: mergeSkill(sides.base, sides.local, sides.remote) };
  }
}
