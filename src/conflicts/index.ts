export { detectConflict, sameContent, CONTENT_FIELDS, type ConflictType, type LocalSide, type RemoteChange } from './detect.ts';
export { mergeSkill, mergeText, unionTags } from './merge.ts';
export { resolveConflict, type Resolution, type ConflictSides, type ConflictStrategy, CONFLICT_STRATEGIES } from './strategies.ts';
