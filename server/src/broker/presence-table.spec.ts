import { fullListParts, PresenceTable } from './presence-table';

describe(PresenceTable.name, () => {
  let now = 0;
  const table = () => new PresenceTable(15_000, () => now);

  beforeEach(() => (now = 1_000_000));

  it('follows opens and closes per instance, and leaves out the instances asked to', () => {
    const t = table();
    t.apply('i1', { op: 'open', handles: ['bob'] });
    t.apply('i2', { op: 'open', handles: ['bob', 'carol'] });
    expect(t.holders('bob')).toEqual(['i1', 'i2']);
    expect(t.holders('bob', ['i1'])).toEqual(['i2']);
    t.apply('i2', { op: 'close', handles: ['bob'] });
    expect(t.holders('bob')).toEqual(['i1']);
    expect(t.holders('carol')).toEqual(['i2']);
  });

  it('replaces an instance list only once its last part arrived, keeping deltas sent in between', () => {
    const t = table();
    t.apply('i1', { op: 'open', handles: ['stale'] });
    t.apply('i1', { op: 'all', gen: 1, handles: ['a'], last: false });
    expect(t.holders('stale')).toEqual(['i1']);
    t.apply('i1', { op: 'open', handles: ['c'] });
    t.apply('i1', { op: 'all', gen: 1, handles: ['b'], last: true });
    expect(['a', 'b', 'c', 'stale'].map((h) => t.holders(h).length)).toEqual([1, 1, 1, 0]);
  });

  it('forgets an instance not heard from within the TTL, and a fresh announcement brings it back', () => {
    const t = table();
    t.apply('i1', { op: 'open', handles: ['bob'] });
    now += 15_000;
    expect(t.holders('bob')).toEqual(['i1']);
    now += 1;
    expect(t.holders('bob')).toEqual([]);
    expect(t.liveInstances()).toEqual([]);
    t.apply('i1', { op: 'all', gen: 7, handles: ['bob'], last: true });
    expect(t.holders('bob')).toEqual(['i1']);
  });

  it('any announcement keeps the instance alive', () => {
    const t = table();
    t.apply('i1', { op: 'open', handles: ['bob'] });
    now += 10_000;
    t.apply('i1', { op: 'all', gen: 1, handles: ['bob'], last: true });
    now += 10_000;
    expect(t.holders('bob')).toEqual(['i1']);
  });
});

describe(fullListParts.name, () => {
  it('splits a list into parts, the last one marked, and an empty list into one empty part', () => {
    expect(fullListParts(3, ['a', 'b', 'c'], 2)).toEqual([
      { op: 'all', gen: 3, handles: ['a', 'b'], last: false },
      { op: 'all', gen: 3, handles: ['c'], last: true },
    ]);
    expect(fullListParts(4, [], 2)).toEqual([{ op: 'all', gen: 4, handles: [], last: true }]);
  });
});
