import { SEEN_IDS_MIN_CAPACITY, SeenIds } from './seen-ids';

describe(SeenIds.name, () => {
  it('tells a replay from a new id', () => {
    const seen = new SeenIds();
    expect(seen.add('a')).toBe(true);
    expect(seen.add('a')).toBe(false);
    expect(seen.has('a')).toBe(true);
    expect(seen.has('b')).toBe(false);
  });

  it('keeps at least the last 10,000 ids, evicting the oldest first', () => {
    const seen = new SeenIds(10);
    expect(seen.capacity).toBe(SEEN_IDS_MIN_CAPACITY);
    for (let i = 0; i <= SEEN_IDS_MIN_CAPACITY; i += 1) {
      seen.add(`id-${i}`);
    }
    expect(seen.size).toBe(SEEN_IDS_MIN_CAPACITY);
    expect(seen.has('id-0')).toBe(false);
    expect(seen.has('id-1')).toBe(true);
    expect(seen.has(`id-${SEEN_IDS_MIN_CAPACITY}`)).toBe(true);
  });

  it('survives a round trip through its persisted form in order', () => {
    const seen = new SeenIds(SEEN_IDS_MIN_CAPACITY, ['x', 'y']);
    seen.add('z');
    const restored = new SeenIds(SEEN_IDS_MIN_CAPACITY, seen.toArray());
    expect(restored.toArray()).toEqual(['x', 'y', 'z']);
    expect(restored.add('y')).toBe(false);
  });
});
