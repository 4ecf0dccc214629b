/**
 * The version a PUT gives a skill when the publisher did not name one: the last number in the
 * string goes up by one (1.2.3 → 1.2.4, 2.0.0-beta.1 → 2.0.0-beta.2); a version with no number
 * gets `.1` appended so it still changes.
 */
export function bumpVersion(version: string): string {
  const match = /(\d+)(\D*)$/.exec(version);
  if (!match || match[1] === undefined) return `${version}.1`;
  const digits = match[1];
  const bumped = (BigInt(digits) + 1n).toString();
  return `${version.slice(0, match.index)}${bumped}${match[2] ?? ''}`;
}
