import type { RemoteSkill } from '../contract/wire-types.ts';

/**
 * The `merge` strategy: everything from the remote version, except that the description and the
 * tags merge and the code stays local. Deterministic, and idempotent: merging the result again
 * with the same remote gives the result back.
 */
export function mergeSkill(base: RemoteSkill | null, local: RemoteSkill, remote: RemoteSkill): RemoteSkill {
  return {
    ...remote,
    description: mergeText(base?.description, local.description, remote.description),
    tags: unionTags(local.tags, remote.tags),
    code: local.code,
  };
}

/**
 * Three-way merge of a text field: the side that changed wins; when both changed, the text that
 * already contains the other wins, otherwise both are kept (local first), so nothing written by
 * either side is lost.
 */
export function mergeText(base: string | undefined, local: string, remote: string): string {
  if (local === remote) return local;
  if (local === base) return remote;
  if (remote === base) return local;
  if (local.includes(remote)) return local;
  if (remote.includes(local)) return remote;
  return `${local}\n\n${remote}`;
}

/** Remote tags in their order, then local-only tags in theirs; no duplicates. */
export function unionTags(local: readonly string[], remote: readonly string[]): string[] {
  return [...new Set([...remote, ...local])];
}
