import type { Store } from '../store/index.ts';
import type { ExpiryReport } from '../store/expiry.ts';
import { checkSkill } from '../marketplace/validate.ts';

// Writes to the local catalog that an operator or a local Atom asks for through the shell, apart
// from the sync: importing skills (local-only mode) and removing what has expired from the cache.

/** An import the agent refused: which entries failed validation and why. Nothing was written. */
export interface ImportRefused {
  invalid: { index: number; reason: string }[];
}

/**
 * `importSkills`: every entry is validated as a platform skill would be; if any fails, nothing is
 * written. Otherwise all are stored as local skills in one transaction, so a retried import never
 * leaves half a batch behind. A value nested past the store's limit throws NestingTooDeepError.
 */
export function importSkills(store: Store, values: readonly unknown[], now: number): { imported: number } | ImportRefused {
  const checked = values.map((value) => checkSkill(value));
  const invalid = checked.flatMap((c, index) => (c.ok ? [] : [{ index, reason: c.reason }]));
  if (invalid.length > 0) return { invalid };
  store.transaction(() => {
    for (const c of checked) if (c.ok) store.skills.upsert(c.value, now, 'local');
  });
  return { imported: checked.length };
}

/** Removes the skills and categories whose cache lease has run out (spec 002 "cache clean-up"). */
export function removeExpired(store: Store, now: number): ExpiryReport {
  return store.expiry.cleanup(now);
}
