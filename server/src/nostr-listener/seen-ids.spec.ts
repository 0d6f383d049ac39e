import { SeenIds } from './seen-ids';

describe(SeenIds.name, () => {
  it('remembers ids up to its capacity, forgetting the oldest first', () => {
    const seen = new SeenIds(3);
    ['a', 'b', 'c', 'd'].forEach((id) => seen.add(id));
    expect(['a', 'b', 'c', 'd'].map((id) => seen.has(id))).toEqual([false, true, true, true]);
    expect(seen.size).toBe(3);
  });

  it('treats a re-added id as new, and forgets a deleted one', () => {
    const seen = new SeenIds(2);
    seen.add('a');
    seen.add('b');
    seen.add('a');
    seen.add('c');
    expect(seen.has('a')).toBe(true);
    expect(seen.has('b')).toBe(false);
    seen.delete('a');
    expect(seen.has('a')).toBe(false);
  });
});
