// The "did you really write it down?" step: the person types back a few words of
// their recovery phrase, picked at random so that a glance at the screen is not enough.

/** Distinct 0-based positions in 0..total-1, ascending. */
export function pickPositions(count: number, total: number, random: () => number = Math.random): number[] {
  if (count > total) {
    throw new RangeError('cannot pick more positions than there are words');
  }
  const chosen = new Set<number>();
  while (chosen.size < count) {
    chosen.add(Math.floor(random() * total));
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Forgives case and surrounding spaces, nothing else. */
export function wordMatches(words: readonly string[], position: number, typed: string): boolean {
  const expected = words[position];
  return expected !== undefined && typed.trim().toLowerCase() === expected;
}
