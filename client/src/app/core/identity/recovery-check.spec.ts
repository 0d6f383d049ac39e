import { pickPositions, wordMatches } from './recovery-check';

describe(pickPositions.name, () => {
  it('picks distinct positions in range, ascending', () => {
    for (let run = 0; run < 200; run++) {
      const positions = pickPositions(3, 24);
      expect(new Set(positions).size).toBe(3);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(positions.every((position) => position >= 0 && position < 24)).toBe(true);
    }
  });

  it('draws again when the random source repeats itself', () => {
    const draws = [0.5, 0.5, 0.1, 0.5, 0.9];
    expect(pickPositions(3, 24, () => draws.shift()!)).toEqual([2, 12, 21]);
  });

  it('refuses to pick more positions than there are words', () => {
    expect(() => pickPositions(25, 24)).toThrow(RangeError);
  });
});

describe(wordMatches.name, () => {
  const words = ['abandon', 'ability', 'able'];

  it('forgives case and surrounding spaces only', () => {
    expect(wordMatches(words, 1, '  Ability ')).toBe(true);
    expect(wordMatches(words, 1, 'abilty')).toBe(false);
    expect(wordMatches(words, 1, 'able')).toBe(false);
    expect(wordMatches(words, 5, 'able')).toBe(false);
  });
});
