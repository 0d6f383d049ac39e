import { lastSeqWithin } from './message-store';

describe(lastSeqWithin.name, () => {
  const rows = [
    { seq: 3, size: 40 },
    { seq: 5, size: 40 },
    { seq: 9, size: 40 },
  ];

  it('takes rows while their sizes fit', () => {
    expect(lastSeqWithin(rows, 1_000)).toBe(9);
    expect(lastSeqWithin(rows, 80)).toBe(5);
    expect(lastSeqWithin(rows, 79)).toBe(3);
  });

  it('always takes the first row, however large', () => {
    expect(lastSeqWithin(rows, 1)).toBe(3);
  });

  it('is undefined for no rows', () => {
    expect(lastSeqWithin([], 100)).toBeUndefined();
  });
});
